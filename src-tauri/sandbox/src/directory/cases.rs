//! The sample users, one per case of Rehome's eligibility report (the README's table).

use super::{
    licences::*, Identity, License, User, DEFAULT_DOMAIN, FEDERATED_DOMAIN, INITIAL_DOMAIN,
};
use crate::ids::Ids;

/// Builder for one sample user: a cloud-only internal member unless told otherwise.
pub(super) struct Person {
    user: User,
}

impl Person {
    pub(super) fn new(
        ids: &mut Ids,
        case: &'static str,
        given: &str,
        surname: &str,
        alias: &str,
    ) -> Self {
        let upn = format!("{alias}@{DEFAULT_DOMAIN}");
        let mut user = User::blank(ids.uuid(), &format!("{given} {surname}"), &upn, DEFAULT_DOMAIN);
        user.given_name = Some(given.to_owned());
        user.surname = Some(surname.to_owned());
        user.case = Some(case);
        Person { user }
    }
    pub(super) fn mail(mut self, mail: &str) -> Self {
        self.user.mail = Some(mail.into());
        self.user.proxy_addresses.push(format!("SMTP:{mail}"));
        self
    }
    pub(super) fn internal_mail(self) -> Self {
        let mail = self.user.user_principal_name.clone();
        self.mail(&mail)
    }
    pub(super) fn other_mails(mut self, mails: &[&str]) -> Self {
        self.user.other_mails = mails.iter().map(|m| (*m).to_owned()).collect();
        self
    }
    pub(super) fn synced(mut self, ids: &mut Ids, with_on_prem_upn: bool) -> Self {
        self.user.on_premises_sync_enabled = Some(true);
        self.user.on_premises_immutable_id = Some(ids.immutable_id());
        if with_on_prem_upn {
            self.user.on_premises_user_principal_name = Some(
                self.user.user_principal_name.replace(DEFAULT_DOMAIN, "corp.contoso-sample.se"),
            );
        }
        self
    }
    /// Once synced, no longer: `onPremisesSyncEnabled` is false, not null.
    pub(super) fn previously_synced(mut self) -> Self {
        self.user.on_premises_sync_enabled = Some(false);
        self
    }
    /// An extra SMTP address this object answers to.
    pub(super) fn alias(mut self, address: &str) -> Self {
        self.user.proxy_addresses.push(format!("smtp:{address}"));
        self
    }
    pub(super) fn license(mut self, license: License) -> Self {
        self.user.licenses.push(license);
        self
    }
    pub(super) fn disabled(mut self) -> Self {
        self.user.account_enabled = false;
        self
    }
    pub(super) fn title(mut self, title: &str) -> Self {
        self.user.job_title = Some(title.into());
        self
    }
    pub(super) fn language(mut self, language: &str) -> Self {
        self.user.preferred_language = Some(language.into());
        self
    }
    pub(super) fn role(mut self, role: &'static str) -> Self {
        self.user.roles.push(role);
        self
    }
    /// A B2B user: converted internal member (`Member`) or invited guest (`Guest`).
    fn b2b(mut self, external: &str, state: &str, since: &str, guest: bool) -> Self {
        self.user.external_user_state = Some(state.into());
        self.user.external_user_state_change_date_time = Some(since.into());
        self.user.mail = Some(external.into());
        if guest {
            self.user.user_type = "Guest".into();
            self.user.creation_type = Some("Invitation".into());
            self.user.user_principal_name =
                format!("{}#EXT#@{INITIAL_DOMAIN}", external.replace('@', "_"));
            self.user.proxy_addresses = vec![format!("SMTP:{external}")];
        }
        self.user.identities = if state == "Accepted" {
            vec![Identity {
                sign_in_type: "federated".into(),
                issuer: "ExternalAzureAD".into(),
                issuer_assigned_id: None,
            }]
        } else {
            vec![Identity {
                sign_in_type: "userPrincipalName".into(),
                issuer: INITIAL_DOMAIN.into(),
                issuer_assigned_id: Some(self.user.user_principal_name.clone()),
            }]
        };
        self
    }
    /// The same alias in another of the tenant's domains.
    pub(super) fn upn_in(mut self, domain: &str) -> Self {
        let alias = self.user.user_principal_name.split('@').next().unwrap_or_default().to_owned();
        self.user.user_principal_name = format!("{alias}@{domain}");
        self
    }
    pub(super) fn user_type(mut self, user_type: &str) -> Self {
        self.user.user_type = user_type.into();
        self
    }
    pub(super) fn done(self) -> User {
        self.user
    }
}

pub(super) fn special_users(ids: &mut Ids) -> Vec<User> {
    use Person as P;
    vec![
        // --- Admins who can sign in to the sample directory.
        P::new(
            ids,
            "admin: User Administrator with a mailbox (the default sign-in)",
            "Anna",
            "Lindqvist",
            "anna.lindqvist",
        )
        .internal_mail()
        .license(office_e3(true))
        .role("User Administrator")
        .title("IT administrator")
        .language("sv-SE")
        .done(),
        P::new(ids, "admin: Guest Inviter only (cannot convert)", "Björn", "Öberg", "bjorn.oberg")
            .internal_mail()
            .license(office_e3(true))
            .role("Guest Inviter")
            .title("Partner coordinator")
            .done(),
        P::new(
            ids,
            "admin: Helpdesk Administrator (reset redemption only)",
            "Cecilia",
            "Åkesson",
            "cecilia.akesson",
        )
        .internal_mail()
        .license(office_e3(true))
        .role("Helpdesk Administrator")
        .title("Service desk")
        .done(),
        P::new(
            ids,
            "admin: no directory role; keeps a partner's address as an alias",
            "David",
            "Nilsson",
            "david.nilsson",
        )
        .internal_mail()
        .alias("xander@holmberg-consulting.example")
        .license(office_e3(true))
        .title("Project manager")
        .done(),
        P::new(
            ids,
            "admin: User Administrator without a mailbox (personal message is dropped)",
            "Elin",
            "Holm",
            "elin.holm",
        )
        .role("User Administrator")
        .title("Identity engineer")
        .done(),
        // --- Ready to convert, or nearly.
        P::new(
            ids,
            "cloud-only member, mail already external: ready",
            "Oscar",
            "Ward",
            "oscar.ward",
        )
        .mail("oscar.ward@fabrikam.com")
        .title("Consultant (Fabrikam)")
        .done(),
        P::new(
            ids,
            "cloud-only member, external address only in otherMails",
            "Astrid",
            "Berg",
            "astrid.berg",
        )
        .other_mails(&["astrid.berg@northwind.example"])
        .title("Contractor (Northwind)")
        .done(),
        P::new(
            ids,
            "cloud-only member, no mail and no otherMails",
            "Gustav",
            "Lind",
            "gustav.lind",
        )
        .title("Contractor")
        .done(),
        P::new(
            ids,
            "cloud-only member, mail in a verified domain (must change)",
            "Karin",
            "Sjöberg",
            "karin.sjoberg",
        )
        .internal_mail()
        .other_mails(&["karin@sjoberg-konsult.example"])
        .title("Consultant")
        .done(),
        P::new(
            ids,
            "cloud-only member, mail in the second verified domain",
            "Lars",
            "Ek",
            "lars.ek",
        )
        .mail("lars.ek@contoso-sample.com")
        .done(),
        P::new(
            ids,
            "cloud-only member, mail in an unverified domain of the tenant (allowed)",
            "Maja",
            "Hedlund",
            "maja.hedlund",
        )
        .mail("maja@contoso-labs.se")
        .done(),
        P::new(
            ids,
            "cloud-only member with Swedish diacritics, external mail",
            "Åsa",
            "Ödman",
            "asa.odman",
        )
        .mail("asa.odman@lindgren-partner.example")
        .language("sv-SE")
        .done(),
        P::new(ids, "cloud-only member with diacritics (Spanish)", "José", "Núñez", "jose.nunez")
            .mail("jose.nunez@adventure-works.example")
            .language("es-ES")
            .done(),
        P::new(
            ids,
            "cloud-only member with diacritics (Polish)",
            "Małgorzata",
            "Wójcik",
            "malgorzata.wojcik",
        )
        .mail("m.wojcik@wingtip.example")
        .done(),
        P::new(ids, "cloud-only member with diacritics (Danish)", "Søren", "Ærø", "soren.aero")
            .other_mails(&["soren@aero-consult.example"])
            .done(),
        P::new(ids, "cloud-only member with diacritics (French)", "Zoë", "Lefèvre", "zoe.lefevre")
            .mail("zoe.lefevre@contoso-partner.example")
            .done(),
        // --- Synced from on-premises.
        P::new(
            ids,
            "synced member without onPremisesUserPrincipalName: convertible, with on-prem advice",
            "Henrik",
            "Dahl",
            "henrik.dahl",
        )
        .mail("henrik.dahl@litware.example")
        .synced(ids, false)
        .done(),
        P::new(
            ids,
            "synced member with onPremisesUserPrincipalName: blocked (Entra Connect rule)",
            "Ingrid",
            "Falk",
            "ingrid.falk",
        )
        .mail("ingrid.falk@litware.example")
        .synced(ids, true)
        .done(),
        P::new(
            ids,
            "synced member with onPremisesUserPrincipalName and internal mail",
            "Johan",
            "Strand",
            "johan.strand",
        )
        .internal_mail()
        .synced(ids, true)
        .done(),
        P::new(
            ids,
            "synced member, internal mail (mail is mastered on-premises)",
            "Klara",
            "Norén",
            "klara.noren",
        )
        .internal_mail()
        .other_mails(&["klara@noren-design.example"])
        .synced(ids, false)
        .done(),
        P::new(
            ids,
            "previously synced member (onPremisesSyncEnabled false)",
            "Leo",
            "Wikström",
            "leo.wikstrom",
        )
        .mail("leo@wikstrom-it.example")
        .previously_synced()
        .done(),
        // --- Exchange Online mailboxes: decided by service plan id.
        P::new(
            ids,
            "mailbox: Office 365 E3 (Exchange Online Plan 2)",
            "Maria",
            "Persson",
            "maria.persson",
        )
        .internal_mail()
        .license(office_e3(true))
        .other_mails(&["maria.persson@proseware.example"])
        .done(),
        P::new(ids, "mailbox: Exchange Online (Plan 1)", "Nils", "Olsson", "nils.olsson")
            .internal_mail()
            .license(exchange_plan_1())
            .done(),
        P::new(ids, "mailbox: Exchange Online Kiosk", "Olivia", "Karlsson", "olivia.karlsson")
            .internal_mail()
            .license(exchange_kiosk())
            .done(),
        P::new(
            ids,
            "mailbox: Microsoft 365 F3 (Kiosk plan in a bundle)",
            "Per",
            "Andersson",
            "per.andersson",
        )
        .internal_mail()
        .license(m365_f3())
        .done(),
        P::new(
            ids,
            "no mailbox: E3 with the Exchange plan disabled",
            "Rut",
            "Eriksson",
            "rut.eriksson",
        )
        .mail("rut.eriksson@proseware.example")
        .license(office_e3(false))
        .done(),
        P::new(
            ids,
            "no mailbox: Power BI Pro (Exchange Foundation only)",
            "Sara",
            "Johansson",
            "sara.johansson",
        )
        .mail("sara@johansson-analys.example")
        .license(power_bi_pro())
        .done(),
        P::new(
            ids,
            "no mailbox: Power BI Pro and Visio (Exchange Foundation only, twice)",
            "Tobias",
            "Larsson",
            "tobias.larsson",
        )
        .mail("tobias.larsson@fourthcoffee.example")
        .license(power_bi_pro())
        .license(visio_plan_2())
        .done(),
        // --- Disabled accounts.
        P::new(ids, "disabled account, external mail", "Ulf", "Gustafsson", "ulf.gustafsson")
            .mail("ulf.g@contoso-partner.example")
            .disabled()
            .done(),
        P::new(ids, "disabled account, synced", "Vera", "Pettersson", "vera.pettersson")
            .mail("vera.p@litware.example")
            .synced(ids, false)
            .disabled()
            .done(),
        // --- The address is already used by another object.
        P::new(
            ids,
            "email used by another object (the mail of Yara Svensson)",
            "Wilma",
            "Axelsson",
            "wilma.axelsson",
        )
        .other_mails(&["yara.svensson@tailspin.example"])
        .done(),
        P::new(
            ids,
            "holds yara.svensson@tailspin.example as mail (the other object)",
            "Yara",
            "Svensson",
            "yara.svensson",
        )
        .mail("yara.svensson@tailspin.example")
        .done(),
        P::new(
            ids,
            "email in another object's proxyAddresses (David Nilsson's alias)",
            "Xander",
            "Holmberg",
            "xander.holmberg",
        )
        .mail("xander@holmberg-consulting.example")
        .done(),
        // --- Email domains federated through SAML/WS-Fed.
        P::new(
            ids,
            "email in a SAML-federated domain (informational)",
            "Yngve",
            "Bergström",
            "yngve.bergstrom",
        )
        .mail("yngve@fjordpartners.no")
        .done(),
        P::new(
            ids,
            "email in a WS-Fed-federated domain (informational)",
            "Zara",
            "Lundgren",
            "zara.lundgren",
        )
        .mail("zara.lundgren@tailspin-federated.com")
        .done(),
        // --- Addresses the service rejects.
        P::new(
            ids,
            "external address with a plus sign (rejected)",
            "Albin",
            "Forsberg",
            "albin.forsberg",
        )
        .mail("albin+contoso@forsberg.example")
        .done(),
        P::new(
            ids,
            "otherMails entry that is not an address",
            "Beata",
            "Sandberg",
            "beata.sandberg",
        )
        .other_mails(&["beata at sandberg dot example"])
        .done(),
        // --- Already B2B: route to resend / reset redemption.
        P::new(ids, "converted member, invitation pending", "Carl", "Magnusson", "carl.magnusson")
            .b2b(
                "carl@magnusson-partners.example",
                "PendingAcceptance",
                "2026-11-10T09:12:00Z",
                false,
            )
            .done(),
        P::new(ids, "converted member, invitation accepted", "Dora", "Lindberg", "dora.lindberg")
            .b2b("dora.lindberg@fabrikam.com", "Accepted", "2026-09-02T14:30:00Z", false)
            .done(),
        P::new(ids, "invited guest, pending", "Erik", "Jakobsson", "erik.jakobsson")
            .b2b(
                "erik.jakobsson@woodgrove.example",
                "PendingAcceptance",
                "2026-11-18T08:00:00Z",
                true,
            )
            .done(),
        P::new(ids, "invited guest, accepted", "Frida", "Hansson", "frida.hansson")
            .b2b("frida.hansson@woodgrove.example", "Accepted", "2026-06-21T10:45:00Z", true)
            .done(),
        P::new(ids, "invited guest, accepted long ago", "Greta", "Bengtsson", "greta.bengtsson")
            .b2b("greta@bengtsson.example", "Accepted", "2025-01-15T12:00:00Z", true)
            .done(),
    ]
}

/// Sample users added after the first release; the README lists them after the others.
pub(super) fn later_users(ids: &mut Ids) -> Vec<User> {
    use Person as P;
    vec![
        P::new(
            ids,
            "admin: User Administrator only through a role-assignable group (not in memberOf)",
            "Ines",
            "Bergh",
            "ines.bergh",
        )
        .internal_mail()
        .license(office_e3(true))
        .title("Identity administrator")
        .done(),
        P::new(
            ids,
            "admin: User Administrator and External Identity Provider Administrator with a mailbox (sees federation)",
            "Jonas",
            "Ahlgren",
            "jonas.ahlgren",
        )
        .internal_mail()
        .license(office_e3(true))
        .role("User Administrator")
        .role("External Identity Provider Administrator")
        .title("Identity architect")
        .done(),
        P::new(
            ids,
            "admin: Directory Writers (new guests and resends, cannot convert)",
            "Kim",
            "Lundin",
            "kim.lundin",
        )
        .internal_mail()
        .license(office_e3(true))
        .role("Directory Writers")
        .title("Directory automation")
        .done(),
        P::new(
            ids,
            "chosen address held by a mail-enabled group (Partner desk – Litware's alias nora.vik@litware.example)",
            "Nora",
            "Vik",
            "nora.vik",
        )
        .other_mails(&["nora.vik@litware.example"])
        .title("Contractor (Litware)")
        .done(),
        P::new(
            ids,
            "chosen address held by an organisational contact (Pontus Hallberg (Proseware))",
            "Pontus",
            "Hallberg",
            "pontus.hallberg",
        )
        .internal_mail()
        .other_mails(&["pontus.hallberg@proseware.example"])
        .title("Consultant (Proseware)")
        .done(),
    ]
}

/// Sample users for the way back to internal (issue 16): each signs in externally and shows one
/// rule of `convertExternalToInternalMemberUser` (DOMAIN.md §3.2). Dora Lindberg (converted,
/// accepted) and Frida Hansson (invited guest, accepted) above are the plain cases.
pub(super) fn reverse_users(ids: &mut Ids) -> Vec<User> {
    use Person as P;
    vec![
        P::new(
            ids,
            "synced external account (userType Guest, accepted): back to internal without UPN or password",
            "Signe",
            "Åström",
            "signe.astrom",
        )
        .b2b("signe.astrom@adatum.example", "Accepted", "2026-03-12T09:00:00Z", false)
        .synced(ids, false)
        .user_type("Guest")
        .done(),
        P::new(
            ids,
            "synced external member, UPN in the federated domain: its password stays with the federation",
            "Moa",
            "Lindahl",
            "moa.lindahl",
        )
        .b2b("moa.lindahl@adatum.example", "Accepted", "2026-04-02T13:20:00Z", false)
        .synced(ids, false)
        .upn_in(FEDERATED_DOMAIN)
        .done(),
        P::new(
            ids,
            "converted member, accepted, holds a directory role: cannot go back to internal",
            "Tuva",
            "Nordin",
            "tuva.nordin",
        )
        .b2b("tuva.nordin@wideworld.example", "Accepted", "2026-05-19T07:45:00Z", false)
        .role("Helpdesk Administrator")
        .done(),
        P::new(
            ids,
            "converted member, accepted, UPN in the federated domain: a managed domain must be chosen",
            "Viktor",
            "Sand",
            "viktor.sand",
        )
        .b2b("viktor.sand@wideworld.example", "Accepted", "2026-07-08T11:10:00Z", false)
        .upn_in(FEDERATED_DOMAIN)
        .done(),
    ]
}
