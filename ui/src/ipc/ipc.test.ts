import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';

import { IpcError, ipc } from '.';

const info = { name: 'Rehome', version: '0.1.0', buildProfile: 'debug', os: 'linux', shellVersion: '2.12.5', systemLocale: 'sv-SE' };

afterEach(() => clearMocks());

describe('ipc', () => {
  it('calls app_info and returns its result', async () => {
    const calls: string[] = [];
    mockIPC((command) => {
      calls.push(command);
      return info;
    });
    await expect(ipc.appInfo()).resolves.toEqual(info);
    expect(calls).toEqual(['app_info']);
  });

  it('keeps the one error shape, details included', async () => {
    mockIPC(() => {
      throw { code: 'invalidInput', message: 'No @ in the address.', details: { requestId: 'r-1' } };
    });
    const error = await ipc.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'invalidInput', message: 'No @ in the address.', details: { requestId: 'r-1' } });
  });

  it('turns anything else the bridge throws into an internal error naming the command', async () => {
    mockIPC(() => {
      throw 'command app_info not found';
    });
    const error = await ipc.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'internal', message: 'app_info: command app_info not found' });
  });
});
