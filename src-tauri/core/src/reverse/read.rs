//! The one read of the way back: the account, its directory roles (through groups too), the
//! organisation's verified domains and whether it syncs, and how each domain signs in – one
//! `$batch`, one round trip.

use serde::Deserialize;
use serde_json::Value;

use super::{
    report, DomainSignIn, ReverseAdmin, ReverseFacts, ReverseReport, RolesHeld, TenantDomain,
};
use crate::{cloud::is_guid, eligibility::ReviewedUser, graph::GraphClient, AppError, ErrorCode};

/// Every property the checks read (`$select` replaces Graph's default set).
const USER_PROPERTIES: &str = "id,displayName,userPrincipalName,mail,otherMails,proxyAddresses,\
userType,accountEnabled,creationType,externalUserState,externalUserStateChangeDateTime,identities,\
onPremisesSyncEnabled,onPremisesUserPrincipalName,preferredLanguage";

pub async fn review(
    graph: &GraphClient,
    user_id: &str,
    admin: ReverseAdmin,
) -> Result<ReverseReport, AppError> {
    if !is_guid(user_id) {
        return Err(AppError::invalid_input(format!("'{user_id}' is not a user's object ID.")));
    }
    let requests = [
        ("user".to_owned(), format!("/users/{user_id}?$select={USER_PROPERTIES}")),
        // The cast and `$count` make it an advanced query (ConsistencyLevel: eventual); without a
        // role-reading permission each role is only a type and an id – enough to count.
        (
            "roles".to_owned(),
            format!("/users/{user_id}/transitiveMemberOf/microsoft.graph.directoryRole?$count=true&$select=id,displayName"),
        ),
        // `User.Read` is enough for the organisation (DOMAIN.md §11.13).
        ("organization".to_owned(), "/organization?$select=id,verifiedDomains,onPremisesSyncEnabled".to_owned()),
        // `Domain.Read.All` (optional) says how each domain signs in, as documented.
        ("domains".to_owned(), "/domains?$select=id,authenticationType,isVerified".to_owned()),
    ];
    let mut answers = graph.batch_get(&requests).await?;
    let mut take = |id: &str| answers.remove(id).unwrap_or_else(|| Err(AppError::internal(id)));
    let user: ReviewedUser = match take("user") {
        Ok(body) => serde_json::from_value(body).map_err(|e| unreadable("user", &e))?,
        Err(error) if error.code == ErrorCode::NotFound => {
            return Err(AppError::new(
                ErrorCode::NotFound,
                "This user is no longer in the directory.",
            ))
        }
        Err(error) => return Err(error),
    };
    let roles = take("roles").and_then(|body| roles_held(&body));
    let organization = take("organization");
    let domains = take("domains");
    let domains = organization.and_then(|org| tenant_domains(&org, domains.ok().as_ref()));
    Ok(report(&ReverseFacts { user, roles, domains, admin }))
}

fn unreadable(what: &str, error: &serde_json::Error) -> AppError {
    AppError::new(
        ErrorCode::UnexpectedResponse,
        format!("Microsoft Graph's answer about the {what} could not be read: {error}"),
    )
}

fn roles_held(body: &Value) -> Result<RolesHeld, AppError> {
    let list = body["value"].as_array().ok_or_else(|| {
        AppError::new(
            ErrorCode::UnexpectedResponse,
            "The user's directory roles could not be read.",
        )
    })?;
    let count = body["@odata.count"].as_u64().map_or(list.len(), |n| n as usize);
    let names = list.iter().filter_map(|r| r["displayName"].as_str().map(str::to_owned)).collect();
    Ok(RolesHeld { count, names })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerifiedDomain {
    name: String,
    #[serde(default)]
    is_default: bool,
    #[serde(rename = "type")]
    kind: Option<String>,
}

fn sign_in(value: Option<&str>) -> DomainSignIn {
    match value {
        Some(v) if v.eq_ignore_ascii_case("Managed") => DomainSignIn::Managed,
        Some(v) if v.eq_ignore_ascii_case("Federated") => DomainSignIn::Federated,
        _ => DomainSignIn::Unknown,
    }
}

/// The verified domains from `/organization`, each with its sign-in from `/domains`
/// (`authenticationType`, documented as Managed or Federated) when that could be read, else from
/// the organisation's own `type` (documented only as "for example, Managed").
fn tenant_domains(
    organization: &Value,
    domains: Option<&Value>,
) -> Result<Vec<TenantDomain>, AppError> {
    let verified: Vec<VerifiedDomain> =
        serde_json::from_value(organization["value"][0]["verifiedDomains"].clone())
            .map_err(|e| unreadable("verified domains", &e))?;
    let documented = |name: &str| {
        domains?["value"].as_array()?.iter().find_map(|d| {
            let id = d["id"].as_str()?;
            id.eq_ignore_ascii_case(name).then(|| sign_in(d["authenticationType"].as_str()))
        })
    };
    Ok(verified
        .into_iter()
        .map(|d| TenantDomain {
            sign_in: documented(&d.name).unwrap_or_else(|| sign_in(d.kind.as_deref())),
            is_default: d.is_default,
            name: d.name,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn each_domains_sign_in_comes_from_domains_first_then_the_organisation() {
        let org = json!({ "value": [{ "verifiedDomains": [
            { "name": "contoso.se", "isDefault": true, "type": "Managed" },
            { "name": "contoso.net", "isDefault": false, "type": "Managed" },
            { "name": "contoso.dk", "isDefault": false },
        ] }] });
        let domains = json!({ "value": [
            { "id": "CONTOSO.NET", "authenticationType": "Federated" },
        ] });
        let read = tenant_domains(&org, Some(&domains)).unwrap();
        let signs: Vec<DomainSignIn> = read.iter().map(|d| d.sign_in).collect();
        assert_eq!(signs, [DomainSignIn::Managed, DomainSignIn::Federated, DomainSignIn::Unknown]);
        assert!(read[0].is_default);
        let without = tenant_domains(&org, None).unwrap();
        assert_eq!(without[1].sign_in, DomainSignIn::Managed, "the organisation's own word");
        assert!(tenant_domains(&json!({}), None).is_err());
    }

    #[test]
    fn roles_are_counted_even_when_graph_hides_which() {
        let hidden = json!({ "@odata.count": 2, "value": [
            { "@odata.type": "#microsoft.graph.directoryRole", "id": "r1", "displayName": null },
            { "@odata.type": "#microsoft.graph.directoryRole", "id": "r2", "displayName": null },
        ] });
        assert_eq!(roles_held(&hidden).unwrap(), RolesHeld { count: 2, names: vec![] });
        let named = json!({ "value": [{ "id": "r1", "displayName": "Helpdesk Administrator" }] });
        assert_eq!(roles_held(&named).unwrap().names, ["Helpdesk Administrator"]);
        assert!(roles_held(&json!({})).is_err());
    }
}
