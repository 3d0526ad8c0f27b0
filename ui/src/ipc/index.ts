// The one doorway between the UI and Rehome's Rust side. Nothing else in the UI imports
// @tauri-apps/* (an ESLint rule enforces it). Feature code calls `ipc.appInfo()`, never `invoke`.
import { invoke } from '@tauri-apps/api/core';

import type { AppError } from './generated/AppError';
import type { AppInfo } from './generated/AppInfo';
import type { ErrorCode } from './generated/ErrorCode';
import type { ErrorDetails } from './generated/ErrorDetails';

export type { AppError, AppInfo, ErrorCode, ErrorDetails };

/** Every command the UI may call: its arguments and its result. */
interface Commands {
  app_info: { args: Record<string, never>; result: AppInfo };
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
};
