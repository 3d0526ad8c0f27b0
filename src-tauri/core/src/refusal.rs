//! Why Microsoft refused, recognised from its answer so the admin reads a cause and a fix. Only
//! texts with a source are recognised (DOMAIN.md §7.3, §11.11): each entry below names where the
//! text was seen. Graph's messages are not localised and may change, so each is matched on a
//! distinctive fragment, case-insensitively; anything else is shown as Microsoft's own words with
//! its code and request-id – never a guessed cause. The sample directory's invented wordings
//! (its README ledger) are never keyed on; a test holds this list against that ledger.

use serde::Serialize;
use ts_rs::TS;

use crate::{journal::EntryKind, AppError, ErrorCode};

/// A refusal the UI explains (`refusal.<name>.cause` and `.fix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Refusal {
    /// The admin's role or the app's consented permissions do not allow inviting (Guest
    /// Inviter, Directory Writers or User Administrator, with User.Invite.All; DOMAIN.md §11.7).
    NotAllowedToInvite,
    /// The same for a reset of redemption (Helpdesk or User Administrator, User.ReadWrite.All).
    NotAllowedToReset,
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
    /// The invitation service does not see the address on the account (yet: DOMAIN.md §11.4).
    MailMismatch,
    /// `mail` of a synced account is mastered on-premises.
    MasteredOnPremises,
    /// Microsoft's own failure ("Unable to find target address"): try again later.
    ServiceFailure,
    /// The way back to internal: the admin's role (User Administrator at least) or the app's
    /// permission (`User-ConvertToInternal.ReadWrite.All` or `User.ReadWrite.All`) is missing.
    NotAllowedToConvertToInternal,
    /// The account already signs in with the organisation: nothing to convert.
    AlreadyInternal,
    /// A synced account was sent a UPN or a password; both stay on-premises.
    SyncedUpnOrPassword,
    /// The UPN's (or the new email's) domain is not one of the organisation's verified domains.
    DomainNotVerified,
    /// No UPN was sent for a cloud account.
    UpnEmpty,
    /// Another object already uses the new UPN.
    UpnInUse,
    /// An empty email was sent.
    MailEmpty,
    /// The password does not meet Entra's password policy.
    PasswordInvalid,
}

/// A text Microsoft's service gives, where it was seen, and what it means.
pub struct KnownRefusal {
    pub fragment: &'static str,
    pub source: &'static str,
    refusal: Option<Refusal>,
}

const fn known(fragment: &'static str, source: &'static str, refusal: Refusal) -> KnownRefusal {
    KnownRefusal { fragment, source, refusal: Some(refusal) }
}

/// The first match wins. `refusal: None` stands for "a permission refusal", decided by kind.
pub const KNOWN: &[KnownRefusal] = &[
    KnownRefusal {
        fragment: "insufficient privileges to complete the operation",
        source: "learn.microsoft.com/graph/errors; invitation-post (DOMAIN.md §7.2, §7.3)",
        refusal: None,
    },
    known(
        "invitations have been disabled for directory",
        "learn.microsoft.com/entra/external-id/troubleshoot",
        Refusal::InvitationsDisabled,
    ),
    known(
        "guest invitations not allowed for your company",
        "learn.microsoft.com/entra/external-id/troubleshoot; Microsoft Q&A",
        Refusal::InvitationsDisabled,
    ),
    known(
        "blocked by cross-tenant access settings",
        "Microsoft Q&A (DOMAIN.md §7.3)",
        Refusal::CrossTenantBlocked,
    ),
    known(
        "invitations are blocked for this directory due to suspicious activity",
        "Microsoft Q&A, 2026 (DOMAIN.md §2.6)",
        Refusal::SuspiciousActivity,
    ),
    known(
        "non-external user already exists",
        "MicrosoftDocs/entra-docs#802",
        Refusal::AddressInUse,
    ),
    known(
        "another object with the same value for property proxyaddresses already exists",
        "learn.microsoft.com/graph/api/user-update; microsoftgraph-docs-contrib#8421",
        Refusal::AddressInUse,
    ),
    known(
        "already exists in the directory as objectid",
        "microsoftgraph/msgraph-beta-sdk-dotnet#798",
        Refusal::AlreadyB2b,
    ),
    known(
        "doesn't match any emails on the user object",
        "DOMAIN.md §11.4, §11.11 (reported; Microsoft's B2BConversion script waits for it)",
        Refusal::MailMismatch,
    ),
    known(
        "unable to update the specified properties for on-premises mastered directory sync objects",
        "learn.microsoft.com/graph/api/user-update (DOMAIN.md §11.11)",
        Refusal::MasteredOnPremises,
    ),
    known(
        "unable to find target address",
        "microsoftgraph/microsoft-graph-docs-contrib#1025",
        Refusal::ServiceFailure,
    ),
    // convertExternalToInternalMemberUser (DOMAIN.md §3.2): the error table of the 2023 revision
    // of learn.microsoft.com/entra/identity/users/convert-external-users-internal
    // (MicrosoftDocs/entra-docs, docs/identity/users/convert-external-users-internal.md).
    known(
        "the user authentication is already internal",
        "convert-external-users-internal (2023 revision, Errors)",
        Refusal::AlreadyInternal,
    ),
    known(
        "userprincipalname and passwordprofile must be empty",
        "convert-external-users-internal (2023 revision, Errors and example)",
        Refusal::SyncedUpnOrPassword,
    ),
    known(
        "the provided upn does not have a valid domain",
        "convert-external-users-internal (2023 revision, Errors: UPN and mail)",
        Refusal::DomainNotVerified,
    ),
    known(
        "userprincipalname domain is not a verified domain",
        "convert-external-users-internal (2023 revision, example of an invalid UPN)",
        Refusal::DomainNotVerified,
    ),
    known(
        "the provided upn cannot be empty",
        "convert-external-users-internal (2023 revision, Errors)",
        Refusal::UpnEmpty,
    ),
    known(
        "another object with the same value for property userprincipalname already exists",
        "microsoftgraph/microsoft-graph-docs#1508 (maintainer's answer)",
        Refusal::UpnInUse,
    ),
    known(
        "the mail provided cannot be empty",
        "convert-external-users-internal (2023 revision, Errors)",
        Refusal::MailEmpty,
    ),
    known(
        "the provided password is not valid",
        "convert-external-users-internal (2023 revision, Errors)",
        Refusal::PasswordInvalid,
    ),
];

/// The refusal behind `error` for a write of this kind, if Microsoft's answer is a known one.
pub fn recognise(error: &AppError, kind: EntryKind) -> Option<Refusal> {
    let not_allowed = match kind {
        EntryKind::ResetRedemption => Refusal::NotAllowedToReset,
        EntryKind::Conversion | EntryKind::Resend => Refusal::NotAllowedToInvite,
        EntryKind::ConvertToInternal => Refusal::NotAllowedToConvertToInternal,
    };
    let message = error.message.to_lowercase();
    KNOWN
        .iter()
        .find(|known| message.contains(known.fragment))
        .map(|known| known.refusal.unwrap_or(not_allowed))
        // A 403 is a permission refusal whatever its words.
        .or((error.code == ErrorCode::AccessDenied).then_some(not_allowed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(code: ErrorCode, message: &str) -> Option<Refusal> {
        recognise(&AppError::new(code, message), EntryKind::Conversion)
    }

    #[test]
    fn every_known_refusal_is_recognised() {
        use Refusal::*;
        let service = ErrorCode::ServiceError;
        let cases = [
            ("Insufficient privileges to complete the operation.", NotAllowedToInvite),
            ("Invitations have been disabled for directory", InvitationsDisabled),
            ("Guest invitations not allowed for your company. Contact your company administrator for more details.", InvitationsDisabled),
            ("This invitation is blocked by cross-tenant access settings.", CrossTenantBlocked),
            ("Invitations are blocked for this directory due to suspicious activity. Please contact Microsoft support for help.", SuspiciousActivity),
            ("Non-external user already exists with the given mail address and can't be invited.", AddressInUse),
            ("Another object with the same value for property proxyAddresses already exists.", AddressInUse),
            ("The invited user already exists in the directory as objectID: 5e1c. They can use that account to sign in to shared apps and resources.", AlreadyB2b),
            ("The email you're using to invite this user doesn't match any emails on the user object.", MailMismatch),
            ("Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.", MasteredOnPremises),
            ("Unable to find target address", ServiceFailure),
            ("The user authentication is already internal and is not eligible for conversion.", AlreadyInternal),
            ("For users synchronized from on-premises, userPrincipalName and passwordProfile must be empty", SyncedUpnOrPassword),
            ("The provided UPN does not have a valid domain.", DomainNotVerified),
            ("UserPrincipalName domain is not a verified domain or shared domain on the company.", DomainNotVerified),
            ("The provided UPN cannot be empty.", UpnEmpty),
            ("Another object with the same value for property userPrincipalName already exists.", UpnInUse),
            ("The mail provided cannot be empty.", MailEmpty),
            ("The provided password is not valid.", PasswordInvalid),
        ];
        for (message, expected) in cases {
            assert_eq!(refused(service, message), Some(expected), "{message}");
        }
        assert!(KNOWN
            .iter()
            .all(|k| !k.source.is_empty() && k.fragment == k.fragment.to_lowercase()));
    }

    #[test]
    fn a_permission_refusal_names_the_roles_of_what_was_tried() {
        let denied = AppError::new(ErrorCode::AccessDenied, "Forbidden");
        assert_eq!(recognise(&denied, EntryKind::Resend), Some(Refusal::NotAllowedToInvite));
        assert_eq!(
            recognise(&denied, EntryKind::ResetRedemption),
            Some(Refusal::NotAllowedToReset)
        );
        assert_eq!(
            recognise(&denied, EntryKind::ConvertToInternal),
            Some(Refusal::NotAllowedToConvertToInternal)
        );
    }

    #[test]
    fn anything_unsourced_keeps_graphs_own_words() {
        for message in [
            "Something new went wrong.",
            // Portal wordings and broad words: no guessed cause.
            "User invitation failed. Invalid request input.",
            "User's email address cannot be in a verified domain.",
            "Generic authorization exception.",
        ] {
            assert_eq!(refused(ErrorCode::ServiceError, message), None, "{message}");
        }
        assert_eq!(refused(ErrorCode::Throttled, "Too many requests"), None);
    }
}
