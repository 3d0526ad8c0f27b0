//! The one read: everything the checks need, in one `$batch` round trip.

use serde::Deserialize;
use serde_json::Value;

use super::{facts::*, report, Report};
use crate::{
    cloud::is_guid,
    email,
    graph::{encode_query_value, BatchResult, GraphClient},
    AppError, ErrorCode,
};

/// Every property the checks read: `$select` replaces Graph's default set, so all are named.
const USER_PROPERTIES: &str = "id,displayName,userPrincipalName,mail,otherMails,proxyAddresses,\
userType,accountEnabled,creationType,externalUserState,externalUserStateChangeDateTime,identities,\
onPremisesSyncEnabled,onPremisesUserPrincipalName,preferredLanguage";

/// Reads what the checks need in one round trip and reports. `email` is the address to review
/// (the account's `mail` when the admin has not chosen one yet).
pub async fn review(
    graph: &GraphClient,
    user_id: &str,
    email: Option<&str>,
    admin: AdminFacts,
) -> Result<Report, AppError> {
    if !is_guid(user_id) {
        return Err(AppError::invalid_input(format!("'{user_id}' is not a user's object ID.")));
    }
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    let mut requests: Vec<(String, String)> =
        user_requests(user_id).into_iter().map(|(id, path)| (id.to_owned(), path)).collect();
    requests.push((DOMAINS.0.to_owned(), DOMAINS.1.to_owned()));
    if let Some(address) = usable(email) {
        requests.extend(email_requests(address));
    }
    let mut answers = graph.batch_get(&requests).await?;
    report_from(
        &mut |id| answers.remove(id).unwrap_or_else(|| Err(AppError::internal(id))),
        email,
        admin,
    )
}

/// The organisation's verified domains: read once per review (or once for a whole batch).
pub(crate) const DOMAINS: (&str, &str) = ("domains", "/organization?$select=id,verifiedDomains");

/// The reads about the account itself; `user` is its object ID or user principal name.
pub(crate) fn user_requests(user: &str) -> [(&'static str, String); 2] {
    [
        ("user", format!("/users/{user}?$select={USER_PROPERTIES}")),
        ("licenses", format!("/users/{user}/licenseDetails")),
    ]
}

/// The address the reads about an address are made for: one that can be an address at all.
pub(crate) fn usable(email: Option<&str>) -> Option<&str> {
    email.filter(|e| email::problem(e, &[]).is_none())
}

/// The report from the answers, each taken by its request's name (`user`, `licenses`,
/// `domains`, and for a usable `email` `federation`, `others`, `groups`, `contacts`).
pub(crate) fn report_from(
    take: &mut dyn FnMut(&str) -> BatchResult,
    email: Option<&str>,
    admin: AdminFacts,
) -> Result<Report, AppError> {
    let user = match take("user") {
        Ok(body) => parse(body, "user")?,
        Err(error) if error.code == ErrorCode::NotFound => {
            return Err(AppError::new(
                ErrorCode::NotFound,
                "This user is no longer in the directory.",
            ))
        }
        Err(error) => return Err(error),
    };
    let licenses = take("licenses").and_then(|body| parse(body["value"].clone(), "licenses"));
    let verified_domains = take("domains").and_then(|body| verified_domains(&body));
    let usable = usable(email);
    let federation = usable.map(|_| take("federation").and_then(|body| federation(&body)));
    let mut holders =
        |id: &str| take(id).and_then(|body| parse(body["value"].clone(), "address's holders"));
    let others_using_email = usable.map(|_| AddressHolders {
        users: holders("others"),
        groups: holders("groups"),
        contacts: holders("contacts"),
    });
    Ok(report(Facts {
        user,
        licenses,
        verified_domains,
        email: email.map(str::to_owned),
        federation,
        others_using_email,
        admin,
    }))
}

/// The reads that depend on the address: its domain's federation, and who else uses it.
pub(crate) fn email_requests(address: &str) -> [(String, String); 4] {
    let literal = address.replace('\'', "''");
    let domain = email::domain_of(&literal).unwrap_or_default().to_owned();
    let federation = format!("domains/any(x:x/id eq '{domain}')");
    let others = format!(
        "mail eq '{literal}' or userPrincipalName eq '{literal}' or \
         otherMails/any(x:x eq '{literal}') or proxyAddresses/any(x:x eq 'smtp:{literal}')"
    );
    let mail_enabled =
        format!("mail eq '{literal}' or proxyAddresses/any(x:x eq 'smtp:{literal}')");
    let holders = |collection: &str| {
        format!(
            "/{collection}?$filter={}&$select=id,displayName&$top=10",
            encode_query_value(&mail_enabled)
        )
    };
    [
        (
            "federation".to_owned(),
            format!(
                "/directory/federationConfigurations/graph.samlOrWsFedExternalDomainFederation?$filter={}",
                encode_query_value(&federation)
            ),
        ),
        (
            "others".to_owned(),
            format!(
                "/users?$filter={}&$select=id,displayName,userPrincipalName&$top=10",
                encode_query_value(&others)
            ),
        ),
        ("groups".to_owned(), holders("groups")),
        ("contacts".to_owned(), holders("contacts")),
    ]
}

fn parse<T: for<'de> Deserialize<'de>>(body: Value, what: &str) -> Result<T, AppError> {
    serde_json::from_value(body).map_err(|e| {
        AppError::new(
            ErrorCode::UnexpectedResponse,
            format!("Microsoft Graph's answer about the {what} could not be read: {e}"),
        )
    })
}

fn verified_domains(organization: &Value) -> Result<Vec<String>, AppError> {
    let domains = organization["value"][0]["verifiedDomains"].as_array().ok_or_else(|| {
        AppError::new(
            ErrorCode::UnexpectedResponse,
            "Microsoft Graph did not list the organisation's verified domains.",
        )
    })?;
    Ok(domains.iter().filter_map(|d| d["name"].as_str().map(str::to_owned)).collect())
}

fn federation(body: &Value) -> Result<Option<Federation>, AppError> {
    let list = body["value"].as_array().ok_or_else(|| {
        AppError::new(ErrorCode::UnexpectedResponse, "The federation list could not be read.")
    })?;
    Ok(list.first().map(|f| Federation {
        display_name: f["displayName"].as_str().unwrap_or_default().to_owned(),
        protocol: f["preferredAuthenticationProtocol"].as_str().unwrap_or("saml").to_owned(),
    }))
}
