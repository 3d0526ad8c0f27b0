// The one doorway between the UI and Rehome's Rust side. Nothing else in the UI imports
// @tauri-apps/* (an ESLint rule enforces it). Feature code calls `ipc.appInfo()`, never `invoke`.
import { Channel, invoke } from '@tauri-apps/api/core';

import type { AdminRole } from './generated/AdminRole';
import type { AppError } from './generated/AppError';
import type { AppInfo } from './generated/AppInfo';
import type { AppRegistration } from './generated/AppRegistration';
import type { Capability } from './generated/Capability';
import type { CloudId } from './generated/CloudId';
import type { ErrorCode } from './generated/ErrorCode';
import type { ErrorDetails } from './generated/ErrorDetails';
import type { Profile } from './generated/Profile';
import type { SignInMethod } from './generated/SignInMethod';
import type { SignInPrompt } from './generated/SignInPrompt';
import type { SignInRequest } from './generated/SignInRequest';
import type { SignInSettings } from './generated/SignInSettings';
import type { SignInSetup } from './generated/SignInSetup';
import type { Check } from './generated/Check';
import type { CheckId } from './generated/CheckId';
import type { EmailCandidate } from './generated/EmailCandidate';
import type { EmailProblem } from './generated/EmailProblem';
import type { Finding } from './generated/Finding';
import type { Outcome } from './generated/Outcome';
import type { Report } from './generated/Report';
import type { SearchPage } from './generated/SearchPage';
import type { UserRow } from './generated/UserRow';
import type { Verdict } from './generated/Verdict';
import type { ConversionPlan } from './generated/ConversionPlan';
import type { ConversionResult } from './generated/ConversionResult';
import type { Landing } from './generated/Landing';
import type { MessageProblem } from './generated/MessageProblem';
import type { MessageSettings } from './generated/MessageSettings';
import type { Preview } from './generated/Preview';
import type { Progress } from './generated/Progress';
import type { Refusal } from './generated/Refusal';
import type { Intention } from './generated/Intention';
import type { PermissionGap } from './generated/PermissionGap';
import type { Feature } from './generated/Feature';
import type { RolesSource } from './generated/RolesSource';
import type { EntryKind } from './generated/EntryKind';
import type { EntryOutcome } from './generated/EntryOutcome';
import type { JournalEntry } from './generated/JournalEntry';
import type { Template } from './generated/Template';
import type { Redemption } from './generated/Redemption';
import type { PlannedRequest } from './generated/PlannedRequest';
import type { Preferences } from './generated/Preferences';
import type { SettingsOverview } from './generated/SettingsOverview';
import type { DomainSignIn } from './generated/DomainSignIn';
import type { MailProblem } from './generated/MailProblem';
import type { OneTimePassword } from './generated/OneTimePassword';
import type { ReverseCheck } from './generated/ReverseCheck';
import type { ReverseCheckId } from './generated/ReverseCheckId';
import type { ReverseFinding } from './generated/ReverseFinding';
import type { ReverseIntention } from './generated/ReverseIntention';
import type { ReverseOutcome } from './generated/ReverseOutcome';
import type { ReversePlan } from './generated/ReversePlan';
import type { ReversePreview } from './generated/ReversePreview';
import type { ReverseProgress } from './generated/ReverseProgress';
import type { ReverseReport } from './generated/ReverseReport';
import type { ReverseResult } from './generated/ReverseResult';
import type { TenantDomain } from './generated/TenantDomain';
import type { UpnProblem } from './generated/UpnProblem';
import type { BatchIntention } from './generated/BatchIntention';
import type { BatchRow } from './generated/BatchRow';
import type { BatchStatus } from './generated/BatchStatus';
import type { DryRun } from './generated/DryRun';
import type { DryRunRow } from './generated/DryRunRow';
import type { ImportedList } from './generated/ImportedList';
import type { ListProblem } from './generated/ListProblem';
import type { MessageCheck } from './generated/MessageCheck';
import type { ListRow } from './generated/ListRow';
import type { RejectedRow } from './generated/RejectedRow';
import type { RowProblem } from './generated/RowProblem';
import type { RowState } from './generated/RowState';
import type { RowVerdict } from './generated/RowVerdict';
import type { RunState } from './generated/RunState';
import type { UnfinishedBatch } from './generated/UnfinishedBatch';

export type {
  AdminRole,
  Intention,
  PermissionGap,
  Feature,
  RolesSource,
  AppError,
  AppInfo,
  AppRegistration,
  Capability,
  CloudId,
  ErrorCode,
  ErrorDetails,
  Profile,
  SignInMethod,
  SignInPrompt,
  SignInRequest,
  SignInSettings,
  SignInSetup,
  Check,
  CheckId,
  EmailCandidate,
  EmailProblem,
  Finding,
  Outcome,
  Report,
  SearchPage,
  UserRow,
  Verdict,
  ConversionPlan,
  ConversionResult,
  Landing,
  MessageProblem,
  MessageSettings,
  Preview,
  Progress,
  Refusal,
  EntryKind,
  EntryOutcome,
  JournalEntry,
  Template,
  Redemption,
  PlannedRequest,
  Preferences,
  SettingsOverview,
  DomainSignIn,
  MailProblem,
  OneTimePassword,
  ReverseCheck,
  ReverseCheckId,
  ReverseFinding,
  ReverseIntention,
  ReverseOutcome,
  ReversePlan,
  ReversePreview,
  ReverseProgress,
  ReverseReport,
  ReverseResult,
  TenantDomain,
  UpnProblem,
  BatchIntention,
  MessageCheck,
  BatchRow,
  BatchStatus,
  DryRun,
  DryRunRow,
  ImportedList,
  ListProblem,
  ListRow,
  RejectedRow,
  RowProblem,
  RowState,
  RowVerdict,
  RunState,
  UnfinishedBatch,
};

type None = Record<string, never>;

/** Every command the UI may call: its arguments and its result. */
interface Commands {
  app_info: { args: None; result: AppInfo };
  first_screen_shown: { args: None; result: null };
  first_screen_ready: { args: None; result: null };
  sign_in_setup: { args: None; result: SignInSetup };
  app_registration: { args: None; result: AppRegistration };
  save_sign_in_settings: { args: { settings: SignInSettings }; result: SignInSetup };
  resume_sign_in: { args: None; result: Profile | null };
  sign_in: { args: { request: SignInRequest; prompts: Channel<SignInPrompt> }; result: Profile };
  cancel_sign_in: { args: None; result: null };
  sign_out: { args: None; result: null };
  keep_sign_in_for_this_run: { args: None; result: null };
  search_users: { args: { query: string }; result: SearchPage };
  more_users: { args: { nextLink: string }; result: SearchPage };
  review_user: { args: { userId: string; email: string | null }; result: Report };
  email_problem: { args: { address: string; verifiedDomains: string[] }; result: EmailProblem | null };
  preview_conversion: { args: { intention: Intention }; result: Preview };
  convert_user: { args: { intention: Intention; progress: Channel<Progress> }; result: ConversionResult };
  unfinished_conversions: { args: None; result: JournalEntry[] };
  reconcile_conversion: { args: { journalId: number }; result: EntryOutcome };
  stop_waiting: { args: { userId: string }; result: boolean };
  open_external: { args: { url: string }; result: null };
  templates: { args: None; result: Template[] };
  save_template: { args: { template: Template }; result: Template[] };
  rename_template: { args: { from: string; to: string }; result: Template[] };
  delete_template: { args: { name: string }; result: Template[] };
  history: { args: None; result: JournalEntry[] };
  refresh_redemption: { args: { userIds: string[] }; result: Redemption[] };
  delete_history_entry: { args: { id: number }; result: boolean };
  export_history: { args: None; result: string | null };
  settings_overview: { args: None; result: SettingsOverview };
  save_preferences: { args: { preferences: Preferences }; result: null };
  open_journal_folder: { args: None; result: null };
  review_reverse: { args: { userId: string }; result: ReverseReport };
  reverse_upn_problem: { args: { upn: string; domains: TenantDomain[] }; result: UpnProblem | null };
  reverse_mail_problem: { args: { mail: string; domains: TenantDomain[] }; result: MailProblem | null };
  preview_reverse: { args: { intention: ReverseIntention }; result: ReversePreview };
  convert_to_internal: {
    args: { intention: ReverseIntention; progress: Channel<ReverseProgress> };
    result: ReverseResult;
  };
  import_batch_file: { args: None; result: ImportedList | null };
  import_batch_text: { args: { text: string }; result: ImportedList };
  practice_batch_list: { args: None; result: ImportedList };
  save_batch_template: { args: None; result: string | null };
  dry_run_batch: { args: { listId: string }; result: DryRun };
  export_batch_dry_run: { args: { batchId: string }; result: string | null };
  check_message: { args: { message: MessageSettings }; result: MessageCheck };
  run_batch: { args: { intention: BatchIntention }; result: BatchStatus };
  batch_status: { args: { batchId: string }; result: BatchStatus };
  pause_batch: { args: { batchId: string }; result: BatchStatus };
  resume_batch: { args: { batchId: string }; result: BatchStatus };
  stop_batch: { args: { batchId: string }; result: BatchStatus };
  unfinished_batches: { args: None; result: UnfinishedBatch[] };
  continue_batch: { args: { batchId: string; message: MessageSettings | null }; result: BatchStatus };
  discard_batch: { args: { batchId: string }; result: null };
  export_batch_result: { args: { batchId: string }; result: string | null };
}

/** A rejected command, always in the one error shape `{ code, message, details? }`. */
export class IpcError extends Error implements AppError {
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;

  constructor(error: AppError) {
    super(error.message);
    this.name = 'IpcError';
    this.code = error.code;
    this.details = error.details;
  }
}

function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.message === 'string';
}

/** Whatever a rejection carries becomes an IpcError; anything unexpected is `internal`. */
export function toIpcError(command: string, rejection: unknown): IpcError {
  if (isAppError(rejection)) return new IpcError(rejection);
  const text = rejection instanceof Error ? rejection.message : String(rejection);
  return new IpcError({ code: 'internal', message: `${command}: ${text}` });
}

async function call<C extends keyof Commands>(
  command: C,
  args: Commands[C]['args'],
): Promise<Commands[C]['result']> {
  try {
    return await invoke<Commands[C]['result']>(command, args);
  } catch (rejection) {
    throw toIpcError(command, rejection);
  }
}

export const ipc = {
  appInfo: () => call('app_info', {}),
  /** The first real screen is painted: Rust logs how long the start took. */
  firstScreenShown: () => call('first_screen_shown', {}),
  /** The first screen takes input (the prerendered one once it is hydrated): Rust logs when. */
  firstScreenReady: () => call('first_screen_ready', {}),
  signInSetup: () => call('sign_in_setup', {}),
  appRegistration: () => call('app_registration', {}),
  saveSignInSettings: (settings: SignInSettings) => call('save_sign_in_settings', { settings }),
  resumeSignIn: () => call('resume_sign_in', {}),
  /** Resolves when signed in; `onPrompt` shows what the admin must do meanwhile. */
  signIn: (request: SignInRequest, onPrompt: (prompt: SignInPrompt) => void) => {
    const prompts = new Channel<SignInPrompt>();
    prompts.onmessage = onPrompt;
    return call('sign_in', { request, prompts });
  },
  cancelSignIn: () => call('cancel_sign_in', {}),
  signOut: () => call('sign_out', {}),
  keepSignInForThisRun: () => call('keep_sign_in_for_this_run', {}),
  /** A newer call rejects the older one with `superseded`; an empty query clears. */
  searchUsers: (query: string) => call('search_users', { query }),
  moreUsers: (nextLink: string) => call('more_users', { nextLink }),
  reviewUser: (userId: string, email: string | null) => call('review_user', { userId, email }),
  emailProblem: (address: string, verifiedDomains: string[]) =>
    call('email_problem', { address, verifiedDomains }),
  /** Rust builds the plan from the kept review and checks it again; the UI only asks. */
  previewConversion: (intention: Intention) => call('preview_conversion', { intention }),
  /** Resolves with the outcome (success or a recorded failure); `onProgress` shows each step. */
  convertUser: (intention: Intention, onProgress: (step: Progress) => void) => {
    const progress = new Channel<Progress>();
    progress.onmessage = onProgress;
    return call('convert_user', { intention, progress });
  },
  unfinishedConversions: () => call('unfinished_conversions', {}),
  reconcileConversion: (journalId: number) => call('reconcile_conversion', { journalId }),
  /** Stops a running conversion's wait for Microsoft to see the new email; nothing more is sent. */
  stopWaiting: (userId: string) => call('stop_waiting', { userId }),
  /** Opens one of Microsoft's pages in the system browser (Rust allows only those it links to). */
  openExternal: (url: string) => call('open_external', { url }),
  templates: () => call('templates', {}),
  saveTemplate: (template: Template) => call('save_template', { template }),
  renameTemplate: (from: string, to: string) => call('rename_template', { from, to }),
  deleteTemplate: (name: string) => call('delete_template', { name }),
  history: () => call('history', {}),
  refreshRedemption: (userIds: string[]) => call('refresh_redemption', { userIds }),
  deleteHistoryEntry: (id: number) => call('delete_history_entry', { id }),
  /** Opens the save dialog; resolves with the file written, or null when cancelled. */
  exportHistory: () => call('export_history', {}),
  /** The way back to internal: its own report from one round trip, kept in Rust by `reviewId`. */
  reviewReverse: (userId: string) => call('review_reverse', { userId }),
  /** What is wrong with a typed UPN or email (no request is made). */
  reverseUpnProblem: (upn: string, domains: TenantDomain[]) =>
    call('reverse_upn_problem', { upn, domains }),
  reverseMailProblem: (mail: string, domains: TenantDomain[]) =>
    call('reverse_mail_problem', { mail, domains }),
  /** The exact request (password hidden), its URL and the PowerShell, from Rust's own plan. */
  previewReverse: (intention: ReverseIntention) => call('preview_reverse', { intention }),
  /** Resolves with the outcome; the one-time password is in it, once. `onProgress` shows each step. */
  convertToInternal: (intention: ReverseIntention, onProgress: (step: ReverseProgress) => void) => {
    const progress = new Channel<ReverseProgress>();
    progress.onmessage = onProgress;
    return call('convert_to_internal', { intention, progress });
  },
  settingsOverview: () => call('settings_overview', {}),
  savePreferences: (preferences: Preferences) => call('save_preferences', { preferences }),
  openJournalFolder: () => call('open_journal_folder', {}),
  /** A batch (issue 17). The list from the open dialog (null when cancelled), checked in Rust. */
  importBatchFile: () => call('import_batch_file', {}),
  importBatchText: (text: string) => call('import_batch_text', { text }),
  /** The sample directory's own list to practise with (signed in to it only). */
  practiceBatchList: () => call('practice_batch_list', {}),
  /** Saves an empty list to fill in; resolves with the file written, or null when cancelled. */
  saveBatchTemplate: () => call('save_batch_template', {}),
  /** Every row reviewed, twenty reads to a round trip; nothing is written. */
  dryRunBatch: (listId: string) => call('dry_run_batch', { listId }),
  exportBatchDryRun: (batchId: string) => call('export_batch_dry_run', { batchId }),
  /** What is wrong with the batch's one message, and the editor's languages and limits. */
  checkMessage: (message: MessageSettings) => call('check_message', { message }),
  /** Resolves when the batch finished or stopped; poll `batchStatus` for progress meanwhile. */
  runBatch: (intention: BatchIntention) => call('run_batch', { intention }),
  batchStatus: (batchId: string) => call('batch_status', { batchId }),
  pauseBatch: (batchId: string) => call('pause_batch', { batchId }),
  resumeBatch: (batchId: string) => call('resume_batch', { batchId }),
  /** Accounts under way finish; those waiting for Microsoft to see the new email stop waiting. */
  stopBatch: (batchId: string) => call('stop_batch', { batchId }),
  /** Batches the journal still has accounts to do for (closed mid-run, or stopped). */
  unfinishedBatches: () => call('unfinished_batches', {}),
  /** Like `runBatch`; `message` only when `UnfinishedBatch.messageNeeded`. */
  continueBatch: (batchId: string, message: MessageSettings | null) =>
    call('continue_batch', { batchId, message }),
  discardBatch: (batchId: string) => call('discard_batch', { batchId }),
  exportBatchResult: (batchId: string) => call('export_batch_result', { batchId }),
};
