import type { MessageSettings } from '../../ipc';

/** The invitation a conversion starts from: Microsoft's email in `language`, no personal message, My Apps. */
export function newMessage(language: string): MessageSettings {
  return { sendEmail: true, language, personalMessage: '', cc: null, landing: { kind: 'myApps' } };
}
