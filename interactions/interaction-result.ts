import type { InteractionResults } from 'oidc-provider';
import type { InteractionView } from './interaction-context.js';

/**
 * oidc-provider's `interactionResult` on the interaction this request has already loaded (through
 * `interactionDetails`, which bound it to the browser's cookie): the provider's own would read it
 * again, by the same cookie, from the store. Saves the result for the rest of the interaction's
 * lifetime; gives where the browser continues (the authorization resume).
 */
export async function recordInteractionResult(
  view: Pick<InteractionView, 'details'>,
  result: InteractionResults,
  { mergeWithLastSubmission }: { readonly mergeWithLastSubmission: boolean },
): Promise<string> {
  const interaction = view.details;
  interaction.result = mergeWithLastSubmission && !('error' in result) ? { ...interaction.lastSubmission, ...result } : result;
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
  return interaction.returnTo;
}
