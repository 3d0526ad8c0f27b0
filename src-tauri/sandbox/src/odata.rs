//! The OData query options the sandbox understands, evaluated against Graph-shaped JSON objects:
//! `$search` for directory objects (DOMAIN.md §5) and a subset of `$filter`.

use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// $search: "prop:text" clauses joined by AND / OR, with parentheses.

#[derive(Debug, Clone, PartialEq)]
pub enum Search {
    Clause { property: String, text: String },
    And(Box<Search>, Box<Search>),
    Or(Box<Search>, Box<Search>),
}

pub const SEARCHABLE: &[&str] =
    &["displayName", "mail", "userPrincipalName", "givenName", "surname", "jobTitle"];

pub fn parse_search(input: &str) -> Result<Search, String> {
    let tokens = search_tokens(input)?;
    let mut parser = SearchParser { tokens, position: 0 };
    let search = parser.or()?;
    if parser.position < parser.tokens.len() {
        return Err(format!(
            "Syntax error: unexpected '{}' in $search.",
            parser.tokens[parser.position].describe()
        ));
    }
    Ok(search)
}

#[derive(Debug, Clone, PartialEq)]
enum SearchToken {
    Quoted(String),
    And,
    Or,
    Open,
    Close,
}

impl SearchToken {
    fn describe(&self) -> String {
        match self {
            SearchToken::Quoted(text) => format!("\"{text}\""),
            SearchToken::And => "AND".into(),
            SearchToken::Or => "OR".into(),
            SearchToken::Open => "(".into(),
            SearchToken::Close => ")".into(),
        }
    }
}

fn search_tokens(input: &str) -> Result<Vec<SearchToken>, String> {
    let mut tokens = vec![];
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {}
            '(' => tokens.push(SearchToken::Open),
            ')' => tokens.push(SearchToken::Close),
            '"' => {
                let mut text = String::new();
                loop {
                    match chars.next() {
                        Some('\\') => text.extend(chars.next()),
                        Some('"') => break,
                        Some(other) => text.push(other),
                        None => {
                            return Err(
                                "Syntax error: unterminated quoted string in $search.".into()
                            )
                        }
                    }
                }
                tokens.push(SearchToken::Quoted(text));
            }
            _ => {
                let mut word = String::from(c);
                while let Some(&next) = chars.peek() {
                    if next == ' ' || next == '(' || next == ')' || next == '"' {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                match word.as_str() {
                    "AND" => tokens.push(SearchToken::And),
                    "OR" => tokens.push(SearchToken::Or),
                    _ => return Err(format!("Syntax error: '{word}' is not valid in $search. Put each clause in double quotes: \"displayName:{word}\".")),
                }
            }
        }
    }
    Ok(tokens)
}

struct SearchParser {
    tokens: Vec<SearchToken>,
    position: usize,
}

impl SearchParser {
    fn peek(&self) -> Option<&SearchToken> {
        self.tokens.get(self.position)
    }

    fn or(&mut self) -> Result<Search, String> {
        let mut left = self.and()?;
        while self.peek() == Some(&SearchToken::Or) {
            self.position += 1;
            left = Search::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Search, String> {
        let mut left = self.factor()?;
        while self.peek() == Some(&SearchToken::And) {
            self.position += 1;
            left = Search::And(Box::new(left), Box::new(self.factor()?));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Search, String> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        match token {
            Some(SearchToken::Open) => {
                let inner = self.or()?;
                if self.peek() != Some(&SearchToken::Close) {
                    return Err("Syntax error: missing ')' in $search.".into());
                }
                self.position += 1;
                Ok(inner)
            }
            Some(SearchToken::Quoted(clause)) => {
                let (property, text) = clause.split_once(':').ok_or_else(|| {
                    format!("Syntax error: '{clause}' must have the form \"property:text\".")
                })?;
                let property = SEARCHABLE
                    .iter()
                    .find(|p| p.eq_ignore_ascii_case(property.trim()))
                    .ok_or_else(|| format!("Invalid search property '{}'.", property.trim()))?;
                Ok(Search::Clause { property: (*property).to_owned(), text: text.to_owned() })
            }
            Some(other) => {
                Err(format!("Syntax error: unexpected '{}' in $search.", other.describe()))
            }
            None => Err("Syntax error: $search ends too early.".into()),
        }
    }
}

/// Splits into the words Graph indexes: on spaces and symbols, lower-to-upper case changes and
/// letter/digit changes; lower-cased.
pub fn word_tokens(text: &str) -> Vec<String> {
    let mut words = vec![];
    let mut current = String::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        let boundary = !c.is_alphanumeric()
            || previous.is_some_and(|p| {
                (p.is_lowercase() && c.is_uppercase()) || (p.is_alphabetic() != c.is_alphabetic())
            });
        if boundary && !current.is_empty() {
            words.push(current.to_lowercase());
            current.clear();
        }
        if c.is_alphanumeric() {
            current.push(c);
        }
        previous = Some(c);
    }
    if !current.is_empty() {
        words.push(current.to_lowercase());
    }
    words
}

impl Search {
    pub fn matches(&self, object: &Value) -> bool {
        match self {
            Search::And(left, right) => left.matches(object) && right.matches(object),
            Search::Or(left, right) => left.matches(object) || right.matches(object),
            Search::Clause { property, text } => {
                let Some(value) = object[property.as_str()].as_str() else { return false };
                if property == "displayName" {
                    // Every word searched for starts some word of the name, in any order.
                    let words = word_tokens(value);
                    let wanted = word_tokens(text);
                    !wanted.is_empty()
                        && wanted.iter().all(|w| words.iter().any(|v| v.starts_with(w.as_str())))
                } else {
                    value.to_lowercase().starts_with(&text.to_lowercase())
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// $filter: comparisons, startswith/endswith, lambda any(), and/or/not, parentheses.

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    Bool(bool),
    Null,
    Number(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Compare {
        path: String,
        equal: bool,
        value: Literal,
    },
    StartsWith {
        path: String,
        prefix: String,
    },
    EndsWith {
        path: String,
        suffix: String,
    },
    /// `collection/any(x: x eq 'v')` or `collection/any(x: x/id eq 'v')`.
    Any {
        collection: String,
        member: Option<String>,
        value: Literal,
    },
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

impl Filter {
    /// `ne`, `not` and `endsWith` are advanced queries: they need `ConsistencyLevel: eventual`
    /// and `$count=true` (DOMAIN.md §5).
    pub fn is_advanced(&self) -> bool {
        match self {
            Filter::Compare { equal, .. } => !equal,
            Filter::EndsWith { .. } | Filter::Not(_) => true,
            Filter::StartsWith { .. } | Filter::Any { .. } => false,
            Filter::And(a, b) | Filter::Or(a, b) => a.is_advanced() || b.is_advanced(),
        }
    }

    pub fn matches(&self, object: &Value) -> bool {
        match self {
            Filter::Compare { path, equal, value } => {
                literal_equals(&object[path.as_str()], value) == *equal
            }
            Filter::StartsWith { path, prefix } => object[path.as_str()]
                .as_str()
                .is_some_and(|v| v.to_lowercase().starts_with(&prefix.to_lowercase())),
            Filter::EndsWith { path, suffix } => object[path.as_str()]
                .as_str()
                .is_some_and(|v| v.to_lowercase().ends_with(&suffix.to_lowercase())),
            Filter::Any { collection, member, value } => {
                object[collection.as_str()].as_array().is_some_and(|items| {
                    items.iter().any(|item| {
                        let item = member.as_ref().map_or(item, |m| &item[m.as_str()]);
                        literal_equals(item, value)
                    })
                })
            }
            Filter::And(a, b) => a.matches(object) && b.matches(object),
            Filter::Or(a, b) => a.matches(object) || b.matches(object),
            Filter::Not(inner) => !inner.matches(object),
        }
    }
}

fn literal_equals(value: &Value, literal: &Literal) -> bool {
    match (value, literal) {
        (Value::String(a), Literal::Text(b)) => {
            a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
        }
        (Value::Bool(a), Literal::Bool(b)) => a == b,
        (Value::Null, Literal::Null) => true,
        (Value::Number(a), Literal::Number(b)) => a.as_f64() == Some(*b),
        _ => false,
    }
}

pub fn parse_filter(input: &str, properties: &[&str]) -> Result<Filter, String> {
    let tokens = filter_tokens(input)?;
    let mut parser = FilterParser { tokens, position: 0, properties };
    let filter = parser.or()?;
    match parser.tokens.get(parser.position) {
        None => Ok(filter),
        Some(token) => {
            Err(format!("Syntax error at position {}: unexpected '{token:?}'.", parser.position))
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum FilterToken {
    Word(String),
    Text(String),
    Open,
    Close,
    Comma,
    Colon,
}

fn filter_tokens(input: &str) -> Result<Vec<FilterToken>, String> {
    let mut tokens = vec![];
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {}
            '(' => tokens.push(FilterToken::Open),
            ')' => tokens.push(FilterToken::Close),
            ',' => tokens.push(FilterToken::Comma),
            ':' => tokens.push(FilterToken::Colon),
            '\'' => {
                let mut text = String::new();
                loop {
                    match chars.next() {
                        // '' is an escaped quote inside an OData string.
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            text.push('\'');
                        }
                        Some('\'') => break,
                        Some(other) => text.push(other),
                        None => {
                            return Err(
                                "Syntax error: unterminated string literal in $filter.".into()
                            )
                        }
                    }
                }
                tokens.push(FilterToken::Text(text));
            }
            _ => {
                let mut word = String::from(c);
                while let Some(&next) = chars.peek() {
                    if matches!(next, ' ' | '(' | ')' | ',' | ':' | '\'') {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                tokens.push(FilterToken::Word(word));
            }
        }
    }
    Ok(tokens)
}

struct FilterParser<'a> {
    tokens: Vec<FilterToken>,
    position: usize,
    properties: &'a [&'a str],
}

impl FilterParser<'_> {
    fn next(&mut self) -> Option<FilterToken> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.position), Some(FilterToken::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn expect(&mut self, token: FilterToken) -> Result<(), String> {
        match self.next() {
            Some(found) if found == token => Ok(()),
            found => Err(format!("Syntax error: expected {token:?}, found {found:?}.")),
        }
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.position += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.position += 1;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, String> {
        if self.keyword("not") {
            self.position += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if self.tokens.get(self.position) == Some(&FilterToken::Open) {
            self.position += 1;
            let inner = self.or()?;
            self.expect(FilterToken::Close)?;
            return Ok(inner);
        }
        let Some(FilterToken::Word(word)) = self.next() else {
            return Err("Syntax error: expected a property or function in $filter.".into());
        };
        let lower = word.to_lowercase();
        if lower == "startswith" || lower == "endswith" {
            self.expect(FilterToken::Open)?;
            let path = self.property()?;
            self.expect(FilterToken::Comma)?;
            let Some(FilterToken::Text(text)) = self.next() else {
                return Err(format!("Syntax error: {word} needs a string."));
            };
            self.expect(FilterToken::Close)?;
            return Ok(if lower == "startswith" {
                Filter::StartsWith { path, prefix: text }
            } else {
                Filter::EndsWith { path, suffix: text }
            });
        }
        if let Some(collection) = word.strip_suffix("/any").or_else(|| word.strip_suffix("/ANY")) {
            let collection = self.known(collection)?;
            self.expect(FilterToken::Open)?;
            let Some(FilterToken::Word(variable)) = self.next() else {
                return Err("Syntax error: any() needs a range variable.".into());
            };
            self.expect(FilterToken::Colon)?;
            let Some(FilterToken::Word(target)) = self.next() else {
                return Err("Syntax error: any() needs a condition.".into());
            };
            let member = match target.split_once('/') {
                Some((v, member)) if v == variable => Some(member.to_owned()),
                None if target == variable => None,
                _ => {
                    return Err(format!(
                        "Syntax error: '{target}' does not use the range variable '{variable}'."
                    ))
                }
            };
            self.operator(true)?;
            let value = self.literal()?;
            self.expect(FilterToken::Close)?;
            return Ok(Filter::Any { collection, member, value });
        }
        let path = self.known(&word)?;
        let equal = self.operator(false)?;
        let value = self.literal()?;
        Ok(Filter::Compare { path, equal, value })
    }

    fn operator(&mut self, only_eq: bool) -> Result<bool, String> {
        match self.next() {
            Some(FilterToken::Word(op)) if op.eq_ignore_ascii_case("eq") => Ok(true),
            Some(FilterToken::Word(op)) if op.eq_ignore_ascii_case("ne") && !only_eq => Ok(false),
            other => Err(format!(
                "Unsupported or invalid query filter clause specified: operator {other:?}."
            )),
        }
    }

    fn literal(&mut self) -> Result<Literal, String> {
        match self.next() {
            Some(FilterToken::Text(text)) => Ok(Literal::Text(text)),
            Some(FilterToken::Word(word)) => match word.to_lowercase().as_str() {
                "true" => Ok(Literal::Bool(true)),
                "false" => Ok(Literal::Bool(false)),
                "null" => Ok(Literal::Null),
                _ => word
                    .parse()
                    .map(Literal::Number)
                    .map_err(|_| format!("Syntax error: '{word}' is not a value.")),
            },
            other => Err(format!("Syntax error: expected a value, found {other:?}.")),
        }
    }

    fn property(&mut self) -> Result<String, String> {
        match self.next() {
            Some(FilterToken::Word(word)) => self.known(&word),
            other => Err(format!("Syntax error: expected a property, found {other:?}.")),
        }
    }

    fn known(&self, name: &str) -> Result<String, String> {
        self.properties
            .iter()
            .find(|p| p.eq_ignore_ascii_case(name))
            .map(|p| (*p).to_owned())
            .ok_or_else(|| {
                format!("Could not find a property named '{name}' on type 'microsoft.graph.user'.")
            })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const PROPS: &[&str] = &[
        "displayName",
        "mail",
        "userPrincipalName",
        "otherMails",
        "proxyAddresses",
        "externalUserState",
        "accountEnabled",
        "domains",
    ];

    #[test]
    fn display_name_is_tokenised_and_other_properties_are_prefixes() {
        let oscar = json!({ "displayName": "Oscar Ward", "mail": "oscar.ward@fabrikam.com" });
        assert!(parse_search("\"displayName:wa\"").unwrap().matches(&oscar));
        assert!(parse_search("\"displayName:ward osc\"").unwrap().matches(&oscar));
        assert!(!parse_search("\"displayName:ar\"").unwrap().matches(&oscar));
        assert!(parse_search("\"mail:oscar.w\"").unwrap().matches(&oscar));
        assert!(!parse_search("\"mail:fabrikam\"").unwrap().matches(&oscar));
        assert!(parse_search("\"displayName:zz\" OR \"mail:osc\"").unwrap().matches(&oscar));
        assert!(!parse_search("(\"displayName:osc\" AND \"mail:zz\")").unwrap().matches(&oscar));
        assert_eq!(word_tokens("McDonald-Öberg2x"), vec!["mc", "donald", "öberg", "2", "x"]);
    }

    #[test]
    fn search_escapes_and_errors() {
        let quoted = json!({ "displayName": "Say \"hi\"" });
        assert!(parse_search(r#""displayName:\"hi""#).unwrap().matches(&quoted));
        assert!(parse_search("displayName:wa").is_err());
        assert!(parse_search("\"department:it\"").is_err());
        assert!(parse_search("\"displayName:wa").is_err());
    }

    #[test]
    fn filters() {
        let user = json!({ "mail": "A@b.se", "otherMails": ["x@y.z"], "proxyAddresses": ["SMTP:A@b.se"], "externalUserState": null, "accountEnabled": true, "domains": [{"id": "fabrikam.com"}] });
        let yes = |f: &str| parse_filter(f, PROPS).unwrap().matches(&user);
        assert!(yes("mail eq 'a@b.se'"));
        assert!(yes("startswith(mail,'a@')"));
        assert!(yes("otherMails/any(x:x eq 'x@y.z')"));
        assert!(yes("proxyAddresses/any(p:p eq 'smtp:a@b.se')"));
        assert!(yes("domains/any(x: x/id eq 'fabrikam.com')"));
        assert!(yes("externalUserState eq null and accountEnabled eq true"));
        assert!(yes("(mail eq 'no' or mail eq 'A@b.se')"));
        assert!(!yes("mail eq 'it''s'"));
        assert!(parse_filter("mail ne 'x'", PROPS).unwrap().is_advanced());
        assert!(parse_filter("endswith(mail,'.se')", PROPS).unwrap().is_advanced());
        assert!(!parse_filter("startswith(mail,'a')", PROPS).unwrap().is_advanced());
        assert!(parse_filter("department eq 'x'", PROPS).is_err());
        assert!(parse_filter("mail eq", PROPS).is_err());
    }
}
