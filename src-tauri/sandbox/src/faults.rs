//! Fault injection: what a real network and a real Graph do to a client on a bad day.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 with `Retry-After` (seconds; fractions as Graph sometimes sends). Inside `$batch` the
    /// item gets the 429 and its own `Retry-After`.
    Throttle { retry_after_secs: f64 },
    /// 503 Service Unavailable, with `Retry-After` when given.
    Unavailable { retry_after_secs: Option<u64> },
    /// Apply the request (a write really happens), then drop the connection before the response.
    DropAfterWrite,
    /// 200 with a body that is not valid JSON.
    MalformedBody,
    /// The response head arrives at once, the body only after this long.
    SlowBody { delay: Duration },
    /// On the token endpoint: the answer says the access token expires in this many seconds (the
    /// token itself is unchanged), so a client that refreshes ahead of expiry refreshes at once.
    TokenExpiresIn { secs: u64 },
}

/// Which requests a fault applies to, and how many times (None: every time).
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// `GET`, `POST`, … or None for any method.
    pub method: Option<String>,
    /// Matches when the request path (without query) contains this, e.g. `/v1.0/invitations`.
    pub path_contains: String,
    pub fault: Fault,
    pub times: Option<u32>,
}

impl FaultRule {
    pub fn new(method: Option<&str>, path_contains: &str, fault: Fault) -> Self {
        FaultRule {
            method: method.map(str::to_uppercase),
            path_contains: path_contains.into(),
            fault,
            times: None,
        }
    }

    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
            && path.contains(&self.path_contains)
    }

    /// Parses the command-line form `PATH` or `METHOD:PATH` (e.g. `POST:/v1.0/invitations`).
    pub fn parse_target(target: &str, fault: Fault) -> Self {
        match target.split_once(':') {
            Some((method, path))
                if method.chars().all(|c| c.is_ascii_alphabetic()) && path.starts_with('/') =>
            {
                FaultRule::new(Some(method), path, fault)
            }
            _ => FaultRule::new(None, target, fault),
        }
    }
}

/// The first matching rule's fault, counting it down.
pub fn take_fault(rules: &mut Vec<FaultRule>, method: &str, path: &str) -> Option<Fault> {
    let index = rules.iter().position(|rule| rule.matches(method, path))?;
    let fault = rules[index].fault.clone();
    if let Some(times) = rules[index].times.as_mut() {
        *times -= 1;
        if *times == 0 {
            rules.remove(index);
        }
    }
    Some(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_by_method_and_path_and_count_down() {
        let mut rules =
            vec![FaultRule::new(Some("post"), "/invitations", Fault::DropAfterWrite).times(1)];
        assert_eq!(take_fault(&mut rules, "GET", "/v1.0/invitations"), None);
        assert_eq!(
            take_fault(&mut rules, "POST", "/v1.0/invitations"),
            Some(Fault::DropAfterWrite)
        );
        assert_eq!(take_fault(&mut rules, "POST", "/v1.0/invitations"), None);
        let rule = FaultRule::parse_target("GET:/v1.0/users", Fault::MalformedBody);
        assert_eq!(
            (rule.method.as_deref(), rule.path_contains.as_str()),
            (Some("GET"), "/v1.0/users")
        );
        assert_eq!(FaultRule::parse_target("/v1.0/$batch", Fault::MalformedBody).method, None);
    }
}
