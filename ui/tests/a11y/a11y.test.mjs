// Accessibility of every screen: the built UI (ui/dist) in Debian's Chromium, the Rust side
// mocked at Tauri's IPC bridge, axe-core with zero violations allowed.
// Each screen is an entry in SCREENS (how to reach it, and what shows it is there).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const UI_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(UI_ROOT, 'dist');
const SHOTS = join(UI_ROOT, '..', 'target', 'a11y-screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const SCREENS = [
  { name: 'start', ready: '[data-testid="start-screen"]', reach: async () => {} },
  {
    name: 'app-registration',
    ready: '[data-testid="manifest"]',
    reach: async (page) => page.click('[data-testid="app-registration-link"]'),
  },
  {
    name: 'sign-in-browser',
    ready: '[data-testid="copy-sign-in-url"]',
    reach: async (page) => page.click('[data-testid="try-sample"]'),
  },
  {
    name: 'sign-in-device-code',
    ready: '[data-testid="device-code"]',
    reach: async (page) => page.click('[data-testid="try-sample-device-code"]'),
  },
  {
    // Not a failure: the keyring cannot be used, and the admin chooses what to do.
    name: 'keyring-notice',
    ready: '[data-testid="keep-for-this-run"]',
    reach: async (page) => page.click('[data-testid="try-sample"]'),
    keyringDown: true,
  },
  { name: 'home', signedIn: true, ready: '[data-testid="capabilities"]', reach: async () => {} },
  {
    name: 'search',
    signedIn: true,
    ready: '[data-testid="search-row"]',
    reach: async (page) => page.fill('[data-testid="search-box"] input, input[data-testid="search-box"]', 'ingrid'),
  },
  {
    name: 'review',
    signedIn: true,
    ready: '[data-testid="report"]',
    reach: async (page) => {
      await page.fill('[data-testid="search-box"] input, input[data-testid="search-box"]', 'ingrid');
      await page.click('[data-testid="search-row"][data-upn="ingrid.falk@contoso-sample.se"]');
      await page.click('[data-testid="email-other"]');
      await page.fill('[data-testid="email-typed"]', 'ingrid+x@litware');
    },
  },
  {
    name: 'history',
    signedIn: true,
    ready: '[data-testid="history-entry"]',
    reach: async (page) => {
      await page.click('[data-testid="open-history"]');
      // The first entry is a conversion back to internal: its details are the newest markup.
      await page.click('[data-testid="history-open"]');
    },
  },
  {
    name: 'settings',
    signedIn: true,
    ready: '[data-testid="journal-file"]',
    reach: async (page) => page.click('[data-testid="open-settings"]'),
  },
  {
    name: 'message',
    signedIn: true,
    ready: '[data-testid="email-preview"]',
    reach: async (page) => openOscar(page),
  },
  {
    name: 'confirm',
    signedIn: true,
    ready: '[data-testid="powershell"]',
    reach: async (page) => {
      await openOscar(page);
      await page.click('[data-testid="to-confirm"]');
      await page.click('[data-testid="show-requests"]');
    },
  },
  {
    name: 'result',
    signedIn: true,
    ready: '[data-testid="next-steps"]',
    reach: async (page) => {
      await openOscar(page);
      await page.click('[data-testid="send-email"]');
      await page.click('[data-testid="to-confirm"]');
      await page.fill('[data-testid="confirm-upn"]', 'oscar.ward@contoso-sample.se');
      await page.click('[data-testid="convert"]');
    },
  },
  {
    // The way back to internal: its report (every verdict), the form with a problem shown, the
    // confirmation with the exact request, the result with the one-time password.
    name: 'reverse-report',
    signedIn: true,
    ready: '[data-testid="reverse-report"]',
    reach: async (page) => openDoraReverse(page),
  },
  {
    name: 'reverse-form',
    signedIn: true,
    ready: '[data-testid="reverse-mail"]',
    reach: async (page) => {
      await openDoraReverse(page);
      await page.click('[data-testid="to-reverse-form"]');
      await page.fill('[data-testid="reverse-upn"]', 'dora@contoso-federated.se');
      await page.click('[data-testid="reverse-new-mail"]');
      await page.fill('[data-testid="reverse-mail"]', 'dora@fabrikam.com');
      // Both answers in (each field shows its problem), so nothing re-renders during the checks.
      await page.waitForSelector('text=/domain is federated|Domänen är federerad/');
      await page.waitForSelector('text=/not one of your verified domains|inte en av era verifierade domäner/');
    },
  },
  {
    name: 'reverse-confirm',
    signedIn: true,
    ready: '[data-testid="reverse-request"]',
    reach: async (page) => {
      await openDoraReverse(page);
      await page.click('[data-testid="to-reverse-form"]');
      await page.click('[data-testid="to-reverse-confirm"]');
      await page.click('[data-testid="show-requests"]');
    },
  },
  {
    name: 'reverse-result',
    signedIn: true,
    ready: '[data-testid="one-time-password"]',
    reach: async (page) => {
      await openDoraReverse(page);
      await page.click('[data-testid="to-reverse-form"]');
      await page.click('[data-testid="to-reverse-confirm"]');
      await page.fill('[data-testid="confirm-upn"]', 'dora.lindberg@contoso-sample.se');
      await page.click('[data-testid="convert-to-internal"]');
    },
  },
  {
    // A batch: the list with rows left out, the dry run with a row's findings open, the run's
    // result with its one-time links, and the home screen's offer to continue one.
    name: 'batch-list',
    signedIn: true,
    ready: '[data-testid="rejected-rows"]',
    reach: async (page) => {
      await page.click('[data-testid="open-batch"]');
      await page.click('[data-testid="choose-file"]');
    },
  },
  {
    name: 'batch-dry-run',
    signedIn: true,
    ready: '[data-testid="row-findings"]',
    reach: async (page) => {
      await openDryRun(page);
      await page.click('[data-testid="dry-run-row"][data-verdict="blocked"] [data-testid="row-details"]');
    },
  },
  {
    name: 'batch-result',
    signedIn: true,
    ready: '[data-testid="batch-run-screen"][data-state="finished"]',
    reach: async (page) => {
      await openDryRun(page);
      await page.click('[data-testid="to-batch-message"]');
      await page.click('[data-testid="send-email"]');
      await page.click('[data-testid="to-confirm"]');
      await page.fill('[data-testid="confirm-count"]', '2');
      await page.click('[data-testid="run-batch"]');
    },
  },
  { name: 'batch-offer', signedIn: true, unfinishedBatch: true, ready: '[data-testid="unfinished-batch"]', reach: async () => {} },
];

/** The batch's entrance, the list from the file dialog, and its dry run. */
async function openDryRun(page) {
  await page.click('[data-testid="open-batch"]');
  await page.click('[data-testid="choose-file"]');
  await page.click('[data-testid="start-dry-run"]');
  await page.waitForSelector('[data-testid="dry-run-table"]');
}

/** Search, open Dora (converted, accepted) and open the way back to internal. */
async function openDoraReverse(page) {
  await page.fill('[data-testid="search-box"] input, input[data-testid="search-box"]', 'dora');
  await page.click('[data-testid="search-row"][data-upn="dora.lindberg@contoso-sample.se"]');
  await page.click('[data-testid="to-reverse"]');
}

/** Search, open the convertible user and go on to the message step. */
async function openOscar(page) {
  await page.fill('[data-testid="search-box"] input, input[data-testid="search-box"]', 'o');
  await page.click('[data-testid="search-row"][data-upn="oscar.ward@contoso-sample.se"]');
  await page.click('[data-testid="to-message"]');
}

/** What the Rust side answers, per command; anything else rejects in the one error shape. */
function mockBridge({ signedIn, keyringDown, unfinishedBatch }) {
  const profile = {
    admin: { displayName: 'Elin Holm', userPrincipalName: 'elin.holm@contoso-sample.se' },
    organisation: { displayName: 'Contoso (sample)', tenantId: '0e8a8bbf-cc1a-42d8-9d42-963f5e5dceaa', defaultDomain: 'contoso-sample.se' },
    cloud: 'sample',
    method: 'browser',
    roles: ['userAdministrator'],
    rolesFrom: 'signIn',
    capabilities: ['convertUsers', 'resendInvitations', 'resetRedemption', 'personalMessageDropped'],
    missingPermissions: [{ feature: 'checkGroups', permission: 'GroupMember.Read.All' }],
  };
  const ingrid = {
    id: '5e1c6a8e-0000-4000-8000-000000000017', displayName: 'Ingrid Falk', userPrincipalName: 'ingrid.falk@contoso-sample.se',
    mail: 'ingrid.falk@litware.example', userType: 'Member', onPremisesSyncEnabled: true, externalUserState: null, creationType: null, accountEnabled: true,
  };
  const oscar = {
    id: '5e1c6a8e-0000-4000-8000-000000000006', displayName: 'Oscar Ward', userPrincipalName: 'oscar.ward@contoso-sample.se',
    mail: 'oscar.ward@fabrikam.com', userType: 'Member', onPremisesSyncEnabled: null, externalUserState: null, creationType: null, accountEnabled: true,
  };
  const dora = {
    id: '5e1c6a8e-0000-4000-8000-000000000021', displayName: 'Dora Lindberg', userPrincipalName: 'dora.lindberg@contoso-sample.se',
    mail: 'dora.lindberg@fabrikam.com', userType: 'Member', onPremisesSyncEnabled: null, externalUserState: 'Accepted', creationType: null, accountEnabled: true,
  };
  const doraReviewed = { ...dora, otherMails: [], proxyAddresses: [], identities: [{ signInType: 'federated', issuer: 'ExternalAzureAD' }], externalUserStateChangeDateTime: '2026-09-02T14:30:00Z', onPremisesUserPrincipalName: null, preferredLanguage: null };
  const domains = [
    { name: 'contoso-sample.se', signIn: 'managed', isDefault: true },
    { name: 'contoso-federated.se', signIn: 'federated', isDefault: false },
  ];
  const historyEntry = (id, outcome, status) => ({
    id, startedAt: 1795774503000 - id * 86400000, finishedAt: outcome ? 1795774504000 : null, outcome, invitationId: null, status,
    requestIds: ['r-1'], error: outcome === 'failed' ? { code: 'serviceError', message: 'Invalid request input.' } : null, kind: 'conversion', adminUpn: 'elin.holm@contoso-sample.se',
    cloud: 'sample', tenantId: 't-1', userId: `u-${id}`, userUpn: `user${id}@contoso-sample.se`, userName: ['Åsa Ödman', 'Ingrid Falk', 'Oscar Ward'][id - 1],
    email: `user${id}@partner.example`, setMail: false, sendEmail: true, language: 'sv-SE', personalMessage: null, cc: null,
    redirectUrl: 'https://myapps.microsoft.com/', requests: [{ method: 'POST', path: '/v1.0/invitations', body: '{}' }],
  });
  const check = (id, verdict, finding, values = {}, differsFrom2020 = false, reason = null) => ({ id, verdict, finding, values, reason, differsFrom2020 });
  const reverseCheck = (id, verdict, finding, values = {}, reason = null) => ({ id, verdict, finding, values, reason });
  const batchList = {
    listId: 'l-1', separator: ';', rowCount: 6, maxRows: 500, problem: null,
    rows: [oscar, ingrid, dora].map((user, i) => ({ line: i + 2, objectId: null, userPrincipalName: user.userPrincipalName, email: null }))
      .concat([{ line: 5, objectId: null, userPrincipalName: 'karin.typo@contoso-sample.se', email: null }]),
    rejected: [
      { line: 6, problem: 'notAUserPrincipalName', value: 'not-a-upn', emailProblem: null, firstLine: null },
      { line: 7, problem: 'notAnEmail', value: 'hugo+x@contractors.example', emailProblem: 'plusSign', firstLine: null },
    ],
  };
  const batchReport = (reviewId, user, outcome, checks) => ({
    reviewId, suggestedLanguage: 'sv-SE', outcome, checks, setsMail: false, verifiedDomains: ['contoso-sample.se'], candidates: [],
    email: user.mail, user: { ...user, otherMails: [], proxyAddresses: [], identities: [], externalUserStateChangeDateTime: null, onPremisesUserPrincipalName: null, preferredLanguage: null },
  });
  const batchStatus = (lines, sendEmail) => ({
    batchId: 'b-2', state: 'finished', reason: null, sendEmail, total: lines.length, queued: 0, running: 0, waiting: 0,
    converted: lines.length, failed: 0, unknown: 0, skipped: 0, secondsLeft: null,
    rows: lines.map((line) => {
      const user = [oscar, ingrid, dora][line - 2];
      return {
        line, userId: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName, email: user.mail, state: 'converted',
        journalId: line, invitationSent: true, redeemUrl: sendEmail ? null : `http://127.0.0.1:1/redeem?rd=sample-${line}`,
        externalUserState: 'PendingAcceptance', requestIds: [`r-${line}`], error: null, refusal: null, skippedBecause: null,
      };
    }),
  });
  const callbacks = {};
  let nextId = 1;
  const answers = {
    app_info: () => ({ name: 'Rehome', version: '0.1.0', buildProfile: 'debug', os: 'linux', shellVersion: '2', systemLocale: 'en-US' }),
    sign_in_setup: () => ({ cloud: 'global', tenant: 'organizations', clientIds: [], deployedPaths: ['/etc/rehome/rehome.json'], problems: [] }),
    resume_sign_in: () => (signedIn ? profile : null),
    app_registration: () => ({
      redirectUri: 'http://localhost',
      permissions: [{ name: 'User.Invite.All', id: '63dd7cd9-b489-4adf-a28c-ac38b9a0f962', adminConsent: true, optional: false }],
      manifest: '{ "isFallbackPublicClient": true }',
    }),
    search_users: () => ({ rows: [ingrid, oscar, dora], count: 3, nextLink: null }),
    email_problem: () => 'notAnAddress',
    // Every verdict and a check that could not be made, so each look is checked.
    review_user: (args) => args.userId === dora.id ? {
      reviewId: 'review-dora',
      suggestedLanguage: 'sv-SE',
      user: doraReviewed,
      outcome: 'alreadyB2b',
      email: dora.mail,
      candidates: [{ address: dora.mail, source: 'mail', problem: null }],
      setsMail: false,
      verifiedDomains: ['contoso-sample.se'],
      checks: [check('accountKind', 'blocks', 'convertedAccepted')],
    } : args.userId === oscar.id ? {
      reviewId: 'review-oscar',
      suggestedLanguage: 'sv-SE',
      user: { ...oscar, otherMails: [], proxyAddresses: [], identities: [], externalUserStateChangeDateTime: null, onPremisesUserPrincipalName: null, preferredLanguage: 'sv-SE' },
      outcome: 'ready',
      email: oscar.mail,
      candidates: [{ address: oscar.mail, source: 'mail', problem: null }],
      setsMail: false,
      verifiedDomains: ['contoso-sample.se'],
      checks: [check('accountKind', 'passed', 'internalMember'), check('whatIsKept', 'information', 'whatIsKept')],
    } : ({
      reviewId: 'review-ingrid',
      suggestedLanguage: 'en-US',
      user: { ...ingrid, otherMails: [], proxyAddresses: [], identities: [], externalUserStateChangeDateTime: null, onPremisesUserPrincipalName: 'ingrid.falk@corp.contoso-sample.se', preferredLanguage: null },
      outcome: 'blocked',
      email: 'ingrid.falk@litware.example',
      candidates: [{ address: 'ingrid.falk@litware.example', source: 'mail', problem: null }],
      setsMail: false,
      verifiedDomains: ['contoso-sample.se'],
      checks: [
        check('onPremisesUpn', 'blocks', 'onPremisesUpnSet', { onPremisesUpn: 'ingrid.falk@corp.contoso-sample.se' }, true),
        check('synced', 'warning', 'synced'),
        check('emailFederation', 'couldNotCheck', 'couldNotCheck', {}, false, { code: 'accessDenied', message: 'Insufficient privileges to complete the operation.' }),
        check('whatIsKept', 'information', 'whatIsKept'),
        check('accountKind', 'passed', 'internalMember'),
      ],
    }),
    // The way back: every verdict, a check that could not be made, values in the sentences.
    review_reverse: () => ({
      reviewId: 'reverse-dora',
      user: doraReviewed,
      outcome: 'readyWithWarnings',
      checks: [
        reverseCheck('signsInExternally', 'passed', 'externalIdentity', { issuer: 'ExternalAzureAD' }),
        reverseCheck('syncedFromOnPremises', 'passed', 'cloudOnly'),
        reverseCheck('password', 'passed', 'passwordSetHere'),
        reverseCheck('directoryRoles', 'couldNotCheck', 'couldNotCheck', {}, { code: 'accessDenied', message: 'Insufficient privileges to complete the operation.' }),
        reverseCheck('userPrincipalName', 'passed', 'upnKept', { upn: dora.userPrincipalName, domain: 'contoso-sample.se' }),
        reverseCheck('mail', 'information', 'mailKept', { mail: dora.mail }),
        reverseCheck('permission', 'passed', 'permissionGranted'),
        reverseCheck('adminRole', 'warning', 'adminMayBeRefused'),
        reverseCheck('oneWay', 'information', 'oneWay'),
        reverseCheck('knownIssues', 'information', 'knownIssues'),
        reverseCheck('previewApi', 'information', 'previewApi'),
      ],
      synced: false,
      upnPrefill: dora.userPrincipalName,
      upnSuggestion: null,
      domains,
      forceChangePasswordDefault: true,
    }),
    reverse_upn_problem: (args) => (args.upn.endsWith('@contoso-federated.se') ? 'domainFederated' : args.upn.endsWith('@contoso-sample.se') ? null : 'domainNotVerified'),
    reverse_mail_problem: (args) => (args.mail.endsWith('@contoso-sample.se') ? null : 'domainNotVerified'),
    preview_reverse: (args) => ({
      plan: {
        userId: dora.id, displayName: dora.displayName, userPrincipalName: dora.userPrincipalName, synced: false,
        newUserPrincipalName: args.intention.userPrincipalName, setsPassword: true, forceChangePassword: args.intention.forceChangePassword,
        newMail: args.intention.mail, mailAfter: args.intention.mail ?? dora.mail,
      },
      request: {
        method: 'POST',
        path: `/beta/users/${dora.id}/convertExternalToInternalMemberUser`,
        body: `{\n  "userPrincipalName": "${args.intention.userPrincipalName}",\n  "passwordProfile": {\n    "password": "[hidden: made by Rehome, shown once after the conversion]",\n    "forceChangePasswordNextSignIn": true\n  }\n}`,
      },
      url: `https://graph.microsoft.com/beta/users/${dora.id}/convertExternalToInternalMemberUser`,
      powershell: "Connect-MgGraph -Scopes 'User-ConvertToInternal.ReadWrite.All'\n$password = Read-Host -Prompt 'New password'",
      beta: true,
    }),
    convert_to_internal: (args) => {
      callbacks[args.progress.id]({ index: 0, message: { step: 'converting' } });
      return {
        journalId: 4, outcome: 'succeeded', userPrincipalName: args.intention.userPrincipalName, mail: dora.mail, userType: 'Member',
        convertedAt: '2026-12-01T10:00:00.0000000Z', oneTimePassword: 'Kq7!vT2#pL9@xR4m', forceChangePassword: true, verified: true,
        confirmedByReading: false, requestIds: ['r-4'], error: null, refusal: null, canTryAgain: false,
      };
    },
    unfinished_conversions: () => [],
    unfinished_batches: () =>
      unfinishedBatch ? [{ batchId: 'b-1', createdAt: 1795774503000, adminUpn: profile.admin.userPrincipalName, tenantId: profile.organisation.tenantId, total: 40, done: 12, messageNeeded: false }] : [],
    import_batch_file: () => batchList,
    dry_run_batch: () => ({
      batchId: 'b-2',
      rows: [
        { row: batchList.rows[0], verdict: 'ready', report: batchReport('review-oscar', oscar, 'ready', []), error: null, firstLine: null },
        { row: batchList.rows[1], verdict: 'blocked', report: batchReport('review-ingrid', ingrid, 'blocked', [check('onPremisesUpn', 'blocks', 'onPremisesUpnSet', { onPremisesUpn: 'ingrid.falk@corp.contoso-sample.se' })]), error: null, firstLine: null },
        { row: batchList.rows[2], verdict: 'readyWithWarnings', report: batchReport('review-dora', { ...dora, externalUserState: null }, 'readyWithWarnings', [check('mailbox', 'warning', 'mailWillBeSet', { email: 'dora@partner.example' })]), error: null, firstLine: null },
        { row: batchList.rows[3], verdict: 'notFound', report: null, error: { code: 'notFound', message: 'Resource does not exist.' }, firstLine: null },
      ],
      rejected: batchList.rejected, reads: 17, roundTrips: 1, ready: 1, readyWithWarnings: 1, notReady: 2,
    }),
    check_message: (args) => ({ problems: [], languages: ['en-US', 'sv-SE'], messageWarningChars: 3000, messageMaxChars: 10000, ...(args.message.personalMessage.length > 10000 ? { problems: ['messageTooLong'] } : {}) }),
    run_batch: (args) => batchStatus(args.intention.lines, args.intention.message.sendEmail),
    batch_status: () => batchStatus([2, 4], false),
    templates: () => [],
    history: () => [
      {
        ...historyEntry(1, 'succeeded', null), id: 4, kind: 'convertToInternal', userName: 'Dora Lindberg', sendEmail: false, language: '',
        requests: [{ method: 'POST', path: `/beta/users/${dora.id}/convertExternalToInternalMemberUser`, body: '{\n  "userPrincipalName": "dora@contoso-sample.se"\n}' }],
      },
      historyEntry(1, 'succeeded', 'PendingAcceptance'),
      historyEntry(2, 'failed', null),
      historyEntry(3, null, null),
    ],
    refresh_redemption: () => [],
    settings_overview: () => ({ preferences: { keepMessageBodies: true }, journalFile: '/home/elin/.local/share/se.rehome.desktop/journal.sqlite3' }),
    preview_conversion: (args) => ({
      plan: {
        kind: args.intention.kind, userId: oscar.id, userPrincipalName: oscar.userPrincipalName, displayName: oscar.displayName,
        email: oscar.mail, setMail: false, message: args.intention.message,
      },
      requests: [{ method: 'POST', path: '/v1.0/invitations', body: '{\n  "invitedUser": { "id": "' + oscar.id + '" }\n}' }],
      powershell: "Connect-MgGraph -Scopes 'User.Invite.All','User.ReadWrite.All'",
      problems: [],
      languages: ['en-US', 'sv-SE'],
      messageWarningChars: 3000,
      messageMaxChars: 10000,
    }),
    convert_user: (args) => {
      callbacks[args.progress.id]({ index: 0, message: { step: 'inviting' } });
      return {
        journalId: 1, outcome: 'succeeded', mailSet: true, invitationSent: true, invitationId: 'i-1',
        redeemUrl: 'http://127.0.0.1:1/redeem?rd=sample', externalUserState: 'PendingAcceptance',
        confirmedByReading: false, requestIds: ['r-1'], error: null,
        teamsLink: 'https://teams.microsoft.com/?tenantId=0e8a8bbf-cc1a-42d8-9d42-963f5e5dceaa', canTryAgain: false,
      };
    },
    // Signing in waits for the person: show the prompt and never finish.
    sign_in: (args) => {
      if (keyringDown) throw { code: 'keyringUnavailable', message: 'The Secret Service is not running.' };
      const prompt =
        args.request.method === 'deviceCode'
          ? { kind: 'deviceCode', userCode: 'K7QF3XJPD', verificationUri: 'http://127.0.0.1:1/devicelogin', expiresInSeconds: 900 }
          : { kind: 'browser', url: 'http://127.0.0.1:1/organizations/oauth2/v2.0/authorize?client_id=x', opened: true };
      callbacks[args.prompts.id]({ index: 0, message: prompt });
      return new Promise(() => {});
    },
  };
  window.__TAURI_INTERNALS__ = {
    invoke: async (cmd, args) => {
      if (cmd in answers) return answers[cmd](args);
      throw { code: 'internal', message: `not mocked: ${cmd}` };
    },
    transformCallback: (callback) => {
      const id = nextId++;
      callbacks[id] = callback;
      return id;
    },
    unregisterCallback: (id) => delete callbacks[id],
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
  };
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };
let server;
let origin;
let context;

before(async () => {
  await readFile(join(DIST, 'index.html')).catch(() => {
    throw new Error('ui/dist is missing: build the UI first (npm run build)');
  });
  server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path === '/' ? 'index.html' : path);
    try {
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(await readFile(file));
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  await mkdir(SHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), 'rehome-a11y-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1120, height: 780 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  server?.close();
});

/**
 * Each look the app can have, and how the test asks for it: the OS's dark mode, Rehome's own
 * "High contrast" (Settings), and the OS's forced colours (a Windows contrast theme). `theme` is
 * what the app must then draw with (data-theme on its root). Every screen is checked in every
 * look; light in both languages, the others in one each (colours do not depend on the language,
 * and this keeps the run near a minute and a half).
 */
const LOOKS = [
  { name: 'light', theme: 'light', languages: ['en', 'sv'] },
  { name: 'dark', theme: 'dark', media: { colorScheme: 'dark' }, languages: ['sv'] },
  { name: 'high-contrast', theme: 'highContrast', appearance: 'highContrast', languages: ['en'] },
  // Forced colours on a light system: the OS's palette paints, over the light web theme.
  { name: 'forced-colors', theme: 'light', media: { forcedColors: 'active' }, languages: ['en'] },
];

/** How many pixels of two same-sized PNGs differ at 3:1 contrast or more (WCAG's ratio of
 * relative luminance). Runs in the page, whose canvas decodes the PNGs. */
function changedPixels([before, after]) {
  const load = async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data;
  };
  const luminance = (r, g, b) => {
    const linear = (c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  return Promise.all([load(before), load(after)]).then(([a, b]) => {
    let count = 0;
    for (let i = 0; i < a.length; i += 4) {
      const [l1, l2] = [luminance(a[i], a[i + 1], a[i + 2]), luminance(b[i], b[i + 1], b[i + 2])];
      if ((Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) >= 3) count++;
    }
    return count;
  });
}

const twoFrames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));

/**
 * Keyboard focus must be visible: from the top of the page, for the first few Tab stops (the
 * header's language menu, then the screen's own controls), the pixels around the control with
 * focus and without it must differ at 3:1 contrast (WCAG's non-text contrast) along at least 90%
 * of the control's longer side – a line along (nearly) one whole edge; rounded corners take the
 * rest. Fluent's rings and its inputs' underline pass; a missing or faint indicator does not.
 */
async function assertFocusVisible(page, stops = 3) {
  await page.evaluate(() => {
    const start = document.createElement('span');
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    start.remove();
  });
  const measured = [];
  for (let stop = 0; stop < stops; stop++) {
    await page.keyboard.press('Tab');
    const box = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return null;
      // A text box's indicator is drawn by Fluent's wrapper around the <input>.
      const control = element.closest('.fui-Input, .fui-Textarea, .fui-SearchBox, .fui-Combobox, .fui-Dropdown') ?? element;
      const r = control.getBoundingClientRect();
      const margin = 4; // Fluent draws some rings just outside the control
      return {
        what: `${element.tagName.toLowerCase()}[data-testid=${element.getAttribute('data-testid')}] "${(element.textContent ?? '').trim().slice(0, 30)}"`,
        x: Math.max(0, r.x - margin), y: Math.max(0, r.y - margin), width: r.width + 2 * margin, height: r.height + 2 * margin,
        side: Math.max(r.width, r.height),
      };
    });
    assert.ok(box, `Tab stop ${stop + 1} focuses something`);
    const clip = { x: box.x, y: box.y, width: box.width, height: box.height };
    // Each picture after two painted frames: a busy machine may not have drawn the change yet.
    await page.evaluate(twoFrames);
    const focused = await page.screenshot({ clip });
    await page.evaluate(() => document.activeElement.blur());
    await page.evaluate(twoFrames);
    const unfocused = await page.screenshot({ clip });
    const changed = await page.evaluate(changedPixels, [focused.toString('base64'), unfocused.toString('base64')]);
    measured.push(`${box.what}: ${changed}/${Math.round(box.side)}`);
    assert.ok(changed >= 0.9 * box.side, `focus on ${box.what} changes ${changed} pixels at 3:1, fewer than 90% of ${Math.round(box.side)}`);
    // The next Tab goes on from the control just left (the browser keeps its place).
  }
  if (process.env.A11Y_FOCUS_LOG) console.error(measured.join('\n'));
}

for (const look of LOOKS) {
  for (const screen of SCREENS) {
    for (const language of look.languages) {
      test(`${screen.name} screen (${language}, ${look.name}) has no accessibility violations`, async () => {
        const page = await context.newPage();
        // No transitions: what is drawn is the state, not a frame of its animation.
        await page.emulateMedia({ reducedMotion: 'reduce', ...look.media });
        await page.addInitScript(mockBridge, { signedIn: screen.signedIn ?? false, keyringDown: screen.keyringDown ?? false, unfinishedBatch: screen.unfinishedBatch ?? false });
        await page.addInitScript(
          ([lang, appearance]) => {
            localStorage.setItem('rehome.language', lang);
            if (appearance) localStorage.setItem('rehome.appearance', appearance);
            else localStorage.removeItem('rehome.appearance'); // the browser keeps an earlier test's
          },
          [language, look.appearance],
        );
        await page.goto(origin);
        await screen.reach(page);
        await page.waitForSelector(screen.ready);
        assert.equal(await page.getAttribute('html', 'lang'), language);
        assert.equal(await page.getAttribute('[data-testid="app-root"]', 'data-theme'), look.theme);
        if (look.media?.forcedColors) assert.ok(await page.evaluate(() => matchMedia('(forced-colors: active)').matches));
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const result = await page.evaluate(() =>
          axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }),
        );
        const suffix = look.name === 'light' ? language : `${look.name}-${language}`;
        await page.screenshot({ path: join(SHOTS, `${screen.name}-${suffix}.png`), fullPage: true });
        const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        assert.deepEqual(violations, []);
        assert.ok(result.passes.length > 10, 'axe ran its checks');
        await assertFocusVisible(page);
        await page.close();
      });
    }
  }
}

/**
 * The start screen as the page shows it before the app's code has loaded (ui/src/boot.ts,
 * prerendered.ts): with nothing set up, in each look and language. With the app's code held back
 * it must pass axe, show keyboard focus, and look exactly as the same screen once the code has
 * taken it over (no pixel differs at 3:1 contrast).
 */
const NOTHING_SET_UP = { cloud: 'global', tenant: 'organizations', clientIds: [], deployedPaths: [], problems: [] };

for (const look of LOOKS) {
  for (const language of look.languages) {
    test(`prerendered start screen (${language}, ${look.name}) has no accessibility violations and looks as drawn`, async () => {
      const open = async ({ withoutCode }) => {
        const page = await context.newPage();
        await page.emulateMedia({ reducedMotion: 'reduce', ...look.media });
        await page.addInitScript(mockBridge, { signedIn: false, keyringDown: false, unfinishedBatch: false });
        await page.addInitScript(
          ([lang, appearance, setup]) => {
            localStorage.setItem('rehome.language', lang);
            if (appearance) localStorage.setItem('rehome.appearance', appearance);
            else localStorage.removeItem('rehome.appearance'); // the browser keeps an earlier test's
            // What Rust hands the page on its first load (src-tauri/src/commands/app.rs).
            window.__REHOME_START__ = {
              appInfo: { name: 'Rehome', version: '0.1.0', buildProfile: 'release', os: 'linux', shellVersion: '2', systemLocale: 'en-US' },
              signIn: { setup, saved: false },
            };
          },
          [language, look.appearance, NOTHING_SET_UP],
        );
        if (withoutCode) await page.route(/\/assets\/main-[^/]*\.(js|css)$/, (route) => route.abort());
        await page.goto(origin);
        return page;
      };

      const prerendered = await open({ withoutCode: true });
      await prerendered.waitForSelector(`#root[data-prerendered="${language}"] [data-testid="start-screen"]`);
      assert.equal(await prerendered.getAttribute('html', 'lang'), language);
      assert.equal(await prerendered.getAttribute('[data-testid="app-root"]', 'data-theme'), look.theme);
      await prerendered.evaluate(twoFrames);
      const before = await prerendered.screenshot();
      await prerendered.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const result = await prerendered.evaluate(() =>
        axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }),
      );
      const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(violations, []);
      await assertFocusVisible(prerendered);
      // Still the prerendered page: the app's code never came.
      assert.equal(await prerendered.getAttribute('#root', 'data-prerendered'), language);
      await prerendered.close();

      const drawn = await open({ withoutCode: false });
      await drawn.waitForSelector('#root[data-prerendered="hydrated"] [data-testid="start-screen"]');
      await drawn.evaluate(twoFrames);
      const after = await drawn.screenshot();
      const suffix = look.name === 'light' ? language : `${look.name}-${language}`;
      await drawn.screenshot({ path: join(SHOTS, `start-prerendered-${suffix}.png`) });
      const changed = await drawn.evaluate(changedPixels, [before.toString('base64'), after.toString('base64')]);
      assert.equal(changed, 0, 'the prerendered start screen looks as the drawn one');
      await drawn.close();
    });
  }
}
