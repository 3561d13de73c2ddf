import type { Command } from './command.js';

export interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<{ command: Command }>;
}

/** Every command, loaded only when it runs; a group with one command of '' is a single word (login). */
export const COMMANDS: Readonly<Record<string, Readonly<Record<string, CommandEntry>>>> = {
  login: {
    '': { summary: 'check a staff credential against the server and keep it (0600) for later commands', load: () => import('./commands/login.js') },
  },
  logout: {
    '': { summary: 'forget the credential `renkei login` kept for a server', load: () => import('./commands/logout.js') },
  },
  admin: {
    create: { summary: 'issue a named staff credential with a role (printed once)', load: () => import('./commands/admin-create.js') },
    list: { summary: 'list staff credentials: name, role, created, expires, last used', load: () => import('./commands/admin-list.js') },
    revoke: { summary: "revoke a staff member's credential at once", load: () => import('./commands/admin-revoke.js') },
  },
  client: {
    create: { summary: 'register a partner client', load: () => import('./commands/client-create.js') },
    list: { summary: 'list partner clients', load: () => import('./commands/client-list.js') },
    show: { summary: "show one client's metadata", load: () => import('./commands/client-show.js') },
    update: { summary: "change a client's metadata", load: () => import('./commands/client-update.js') },
    disable: { summary: 'refuse a client at once (its tokens stop working)', load: () => import('./commands/client-disable.js') },
    enable: { summary: 'accept a disabled client again', load: () => import('./commands/client-enable.js') },
    delete: { summary: 'remove a client and revoke every grant it holds', load: () => import('./commands/client-delete.js') },
    'rotate-secret': { summary: 'issue a new client secret (the old one may stay valid for --grace-hours)', load: () => import('./commands/client-rotate-secret.js') },
    apply: { summary: 'create or update a client from a JSON metadata file', load: () => import('./commands/client-apply.js') },
  },
  user: {
    create: { summary: 'register a customer', load: () => import('./commands/user-create.js') },
    list: { summary: 'list or search customers, a page at a time', load: () => import('./commands/user-list.js') },
    show: { summary: 'show one customer', load: () => import('./commands/user-show.js') },
    update: { summary: "change a customer's name, secret question and answer, or 利用者番号", load: () => import('./commands/user-update.js') },
    lock: { summary: "lock a customer's account (their tokens stop working)", load: () => import('./commands/user-lock.js') },
    unlock: { summary: "unlock a customer's account and clear its failure count", load: () => import('./commands/user-unlock.js') },
    delete: { summary: 'remove a customer and revoke every grant they gave', load: () => import('./commands/user-delete.js') },
    'set-password': { summary: "set a customer's password (revokes every grant they gave)", load: () => import('./commands/user-set-password.js') },
    import: { summary: 'bring existing customers in from a CSV or JSON Lines file (checked first, resumable)', load: () => import('./commands/user-import.js') },
    export: { summary: 'write the customer directory as JSON Lines, without secrets', load: () => import('./commands/user-export.js') },
    accounts: { summary: "add, list or remove a customer's accounts (shown to partners only as the customer chooses)", load: () => import('./commands/user-accounts-command.js') },
  },
  grant: {
    list: { summary: 'list the access customers gave partners', load: () => import('./commands/grant-list.js') },
    revoke: { summary: 'end access: one grant, or every grant of a customer', load: () => import('./commands/grant-revoke.js') },
  },
  events: {
    list: { summary: 'list the Shared Signals events queued, delivered and dead-lettered for partners', load: () => import('./commands/events-list.js') },
    retry: { summary: 'send an event again (a dead-lettered one, or a waiting one now)', load: () => import('./commands/events-retry.js') },
    verify: { summary: "send a verification event to a partner's events endpoint", load: () => import('./commands/events-verify.js') },
  },
  keys: {
    generate: { summary: 'create the key files, offline', load: () => import('./commands/keys-generate.js') },
    list: { summary: 'list the signing keys the server uses', load: () => import('./commands/keys-list.js') },
    rotate: { summary: 'stage new signing keys (published now, signing after a delay)', load: () => import('./commands/keys-rotate.js') },
  },
};
