import { AdminClient, ADMIN_NOTES, segment } from '../admin-client.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';

export const command: Command = {
  usage: 'renkei events retry EVENT_ID [--json]',
  summary: 'Sends an event again: a dead-lettered one goes back in the queue, a waiting one is tried now.',
  notes: ['EVENT_ID is the jti `renkei events list` shows. Needs the operator role.', '--json prints { jti, client_id, result: "requeued"|"rescheduled" }.', '', ...ADMIN_NOTES],
  examples: ['renkei events retry 0d6c3f2e-…'],
  options: {},
  positionals: ['EVENT_ID'],
  async run(context, _values, [jti]) {
    const answer = await AdminClient.fromContext(context).post<{ jti: string; client_id: string; result: 'requeued' | 'rescheduled' }>(`/events/${segment(jti!)}/retry`, {});
    if (context.json) printJson(context.out, answer);
    else context.out.stdout(answer.result === 'requeued'
      ? `event ${answer.jti} is queued again for ${answer.client_id}`
      : `event ${answer.jti} for ${answer.client_id} will be tried again now`);
  },
};
