//! Why Microsoft refused a conversion, recognised from its answer so the admin reads a cause and a
//! fix instead of "Invalid request input." (DOMAIN.md §7.3, PEERS.md (b)). Graph's messages are
//! not localised and may change: each is matched on a distinctive fragment, case-insensitively,
//! and anything unrecognised keeps Graph's own words.

use serde::Serialize;
use ts_rs::TS;

use crate::{AppError, ErrorCode};

/// A refusal the UI explains (`refusal.<name>.cause` and `.fix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Refusal {
    /// The admin's role or the app's consented permissions do not allow it.
    NotAllowed,
    /// External collaboration settings turn invitations off.
    InvitationsDisabled,
    /// Cross-tenant access settings block the person's organisation.
    CrossTenantBlocked,
    /// Microsoft's abuse protection blocked invitations for the directory.
    SuspiciousActivity,
    /// Another object already uses the address (mail, other emails or proxy addresses).
    AddressInUse,
    /// The account already is a B2B user, or the request did not name it by id.
    AlreadyB2b,
    /// A synced account Entra Connect stamps with `onPremisesUserPrincipalName`.
    SyncedAccount,
    /// The account's email is in one of the organisation's verified domains.
    VerifiedDomain,
    /// The account's email does not hold the invitation address.
    MailMismatch,
    /// `mail` of a mailbox user can only change in Exchange.
    MailboxUser,
    /// `mail` of a synced account is mastered on-premises.
    MasteredOnPremises,
    /// The address cannot be invited to this directory at all.
    CannotBeInvited,
    /// Microsoft's own failure ("Unable to find target address"): try again later.
    ServiceFailure,
}

/// (fragment of Graph's message, refusal) – the first match wins.
const MESSAGES: &[(&str, Refusal)] = &[
    ("insufficient privileges", Refusal::NotAllowed),
    ("generic authorization exception", Refusal::NotAllowed),
    ("invitations have been disabled", Refusal::InvitationsDisabled),
    ("guest invitations not allowed", Refusal::InvitationsDisabled),
    ("cross-tenant access settings", Refusal::CrossTenantBlocked),
    ("suspicious activity", Refusal::SuspiciousActivity),
    ("non-external user already exists", Refusal::AddressInUse),
    ("same value for property proxyaddresses", Refusal::AddressInUse),
    ("already exists in the directory as objectid", Refusal::AlreadyB2b),
    ("invalid request input", Refusal::SyncedAccount),
    ("cannot be in a verified domain", Refusal::VerifiedDomain),
    ("must match the user's mail", Refusal::MailMismatch),
    ("doesn't match any emails on the user object", Refusal::MailMismatch),
    ("exchange online mailbox", Refusal::MailboxUser),
    ("exchange admin center", Refusal::MailboxUser),
    ("on-premises mastered", Refusal::MasteredOnPremises),
    ("can't be invited to this directory", Refusal::CannotBeInvited),
    ("unable to find target address", Refusal::ServiceFailure),
];

pub fn recognise(error: &AppError) -> Option<Refusal> {
    let message = error.message.to_lowercase();
    MESSAGES
        .iter()
        .find(|(fragment, _)| message.contains(fragment))
        .map(|(_, refusal)| *refusal)
        .or((error.code == ErrorCode::AccessDenied).then_some(Refusal::NotAllowed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(code: ErrorCode, message: &str) -> Option<Refusal> {
        recognise(&AppError::new(code, message))
    }

    #[test]
    fn every_documented_refusal_is_recognised() {
        use Refusal::*;
        let service = ErrorCode::ServiceError;
        let cases = [
            ("Insufficient privileges to complete the operation.", NotAllowed),
            ("Generic authorization exception.", NotAllowed),
            ("Invitations have been disabled for directory", InvitationsDisabled),
            ("Guest invitations not allowed for your company. Contact your company administrator for more details.", InvitationsDisabled),
            ("This invitation is blocked by cross-tenant access settings.", CrossTenantBlocked),
            ("Invitations are blocked for this directory due to suspicious activity. Please contact Microsoft support for help.", SuspiciousActivity),
            ("Non-external user already exists with the given mail address and can't be invited.", AddressInUse),
            ("Another object with the same value for property proxyAddresses already exists.", AddressInUse),
            ("The invited user already exists in the directory as objectID: 5e1c. They can use that account to sign in to shared apps and resources.", AlreadyB2b),
            ("User invitation failed. Invalid request input.", SyncedAccount),
            ("User's email address cannot be in a verified domain. Please change the user's email to enable conversion to a B2B user.", VerifiedDomain),
            ("The invited user's email address must match the user's mail property.", MailMismatch),
            ("The email you're using to invite this user doesn't match any emails on the user object. Please add this email to the user object and try again.", MailMismatch),
            ("The 'mail' property of a user with an Exchange Online mailbox can't be changed here. Change the user's primary SMTP address in the Exchange admin center.", MailboxUser),
            ("Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.", MasteredOnPremises),
            ("This user can't be invited to this directory. Please try a different email address for the user or create a user account for them in your directory.", CannotBeInvited),
            ("Unable to find target address", ServiceFailure),
        ];
        for (message, expected) in cases {
            assert_eq!(refused(service, message), Some(expected), "{message}");
        }
    }

    #[test]
    fn a_403_is_a_permission_problem_and_anything_else_keeps_graphs_words() {
        assert_eq!(refused(ErrorCode::AccessDenied, "Forbidden"), Some(Refusal::NotAllowed));
        assert_eq!(refused(ErrorCode::ServiceError, "Something new went wrong."), None);
        assert_eq!(refused(ErrorCode::Throttled, "Too many requests"), None);
    }
}
