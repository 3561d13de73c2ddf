import { refused } from './cli-errors.js';
import type { CommandContext } from './command.js';
import { isTerminal, readTyped } from './read-secret.js';

/** The flag that answers the question in advance (scripts need none: off a terminal nothing is asked). */
export const YES_OPTION = { yes: { type: 'boolean' } } as const;
export const YES_NOTE = 'On a terminal it asks for the ID typed again first; --yes skips the question (off a terminal, as in scripts, nothing is asked).';

/**
 * Before what cannot be undone: on a terminal, what will be lost, then `name` typed again (as
 * `gh repo delete` asks); anything else cancels (exit 1, nothing done). Skipped with `--yes` and
 * when stdin is not a terminal.
 */
export async function confirmByName(
  context: Pick<CommandContext, 'stdin' | 'out'>,
  values: Readonly<Record<string, unknown>>,
  { consequence, name }: { consequence: () => Promise<string>; name: string },
): Promise<void> {
  if (values.yes === true || !isTerminal(context.stdin)) return;
  context.out.stderr(await consequence());
  const typed = await readTyped(context, `Type ${name} to delete it: `);
  if (typed.trim() !== name) throw refused('cancelled: nothing was deleted');
}
