//! Licences by service plan, as `licenseDetails` reports them: which carry an Exchange Online
//! mailbox, and which only look as if they did.

use super::{License, ServicePlan};

// Service plans (licensing-service-plan-reference). Only the mailbox plans count as mailboxes.
const EXO_P1: (&str, &str) = ("9aaf7827-d63c-4b61-89c3-182f06f82e5c", "EXCHANGE_S_STANDARD");
const EXO_P2: (&str, &str) = ("efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE");
const EXO_KIOSK: (&str, &str) = ("4a82b400-a79f-41a4-b4e2-e94f5787b113", "EXCHANGE_S_DESKLESS");
const EXO_FOUNDATION: (&str, &str) =
    ("113feb6c-3fe4-4440-bddc-54d774bf0318", "EXCHANGE_S_FOUNDATION");
const MIP_EXCHANGE: (&str, &str) = ("cd31b152-6326-4d1b-ae1b-997b625182e6", "MIP_S_Exchange");
const SHAREPOINT: (&str, &str) = ("5dbe027f-2339-4123-9542-606e4d348a72", "SHAREPOINTENTERPRISE");
const TEAMS: (&str, &str) = ("57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1");
const POWER_BI: (&str, &str) = ("70d33638-9c74-4d01-bfd3-562de28bd4ba", "BI_AZURE_P2");
const VISIO: (&str, &str) = ("663a804f-1c30-4ff0-9915-9db84f0d1cea", "VISIO_CLIENT_SUBSCRIPTION");

pub const MAILBOX_PLAN_IDS: &[&str] = &[
    EXO_P1.0,
    EXO_P2.0,
    EXO_KIOSK.0,
    "1126bef5-da20-4f07-b45e-ad25d2581aa8", // EXCHANGE_S_ESSENTIALS
    "90927877-dcff-4af6-b346-2332c0b15bb7", // EXCHANGE_B_STANDARD
    "e9b4930a-925f-45e2-ac2a-3f7788ca6fdd", // EXCHANGE_S_STANDARD_GOV
    "8c3069c0-ccdb-44be-ab77-986203a67df2", // EXCHANGE_S_ENTERPRISE_GOV
];

pub(super) fn plan((id, name): (&'static str, &'static str)) -> ServicePlan {
    ServicePlan { id, name, status: "Success" }
}

pub(super) fn disabled((id, name): (&'static str, &'static str)) -> ServicePlan {
    ServicePlan { id, name, status: "Disabled" }
}

pub(super) fn office_e3(exchange_enabled: bool) -> License {
    License {
        sku_id: "6fd2c87f-b296-42f0-b197-1e91e994b900",
        sku_part_number: "ENTERPRISEPACK",
        plans: vec![
            if exchange_enabled { plan(EXO_P2) } else { disabled(EXO_P2) },
            plan(SHAREPOINT),
            plan(TEAMS),
            plan(MIP_EXCHANGE),
        ],
    }
}

pub(super) fn exchange_plan_1() -> License {
    License {
        sku_id: "4b9405b0-7788-4568-add1-99614e613b69",
        sku_part_number: "EXCHANGESTANDARD",
        plans: vec![plan(EXO_P1)],
    }
}

pub(super) fn exchange_kiosk() -> License {
    License {
        sku_id: "80b2d799-d2ba-4d2a-8842-fb0d0f3a4b82",
        sku_part_number: "EXCHANGEDESKLESS",
        plans: vec![plan(EXO_KIOSK)],
    }
}

pub(super) fn m365_f3() -> License {
    License {
        sku_id: "66b55226-6b4f-492c-910c-a3b7a3c9d993",
        sku_part_number: "SPE_F1",
        plans: vec![plan(EXO_KIOSK), plan(SHAREPOINT), plan(TEAMS), plan(EXO_FOUNDATION)],
    }
}

/// Bundles with only Exchange Foundation: not a mailbox.
pub(super) fn power_bi_pro() -> License {
    License {
        sku_id: "f8a1db68-be16-40ed-86d5-cb42ce701560",
        sku_part_number: "POWER_BI_PRO",
        plans: vec![plan(EXO_FOUNDATION), plan(POWER_BI)],
    }
}

pub(super) fn visio_plan_2() -> License {
    License {
        sku_id: "c5928f49-12ba-48f7-ada3-0d743a3601d5",
        sku_part_number: "VISIOCLIENT",
        plans: vec![plan(EXO_FOUNDATION), plan(VISIO)],
    }
}
