/**
 * `GET activity`: buys and sells in one list, newest first across pages. The two upstream lists are merged like
 * two sorted runs: the cursor remembers, for each flow, the upstream page and how far into it the last answer read,
 * so "Load more" continues exactly where the first page stopped. Each row is checked against its owner.
 */
import type { Flow, Operation, OperationList } from '../../types.js';
import type { UpstreamOperation } from '../api.js';
import { type Route, ownerOf, owns, present } from '../context.js';
import { HttpError, json } from '../http.js';

/** Rows per answer. */
export const ACTIVITY_PAGE = 10;
/** Upstream pages read for one answer at most (a long run of other users' rows must not make one answer unbounded). */
const MAX_READS = 8;

/** Where one flow's run stands: its upstream page (`undefined` = the first) and the rows of it already merged. */
interface Run {
  flow: Flow;
  page?: string;
  offset: number;
  rows?: UpstreamOperation[];
  next?: string;
  done: boolean;
}

export const activity: Route = async (ctx, { url, userId }) => {
  const runs = parseCursor(url.searchParams.get('cursor'));
  const items: Operation[] = [];
  let reads = 0;
  const load = async (run: Run) => {
    while (!run.done && (!run.rows || run.offset >= run.rows.length)) {
      if (run.rows) {
        // this page is used up: on to the next, or this run is over
        if (!run.next) {
          run.done = true;
          break;
        }
        run.page = run.next;
        run.offset = 0;
        run.rows = undefined;
      }
      if (++reads > MAX_READS) return false;
      const list = await ctx.api.list(run.flow, userId, run.page);
      run.rows = list.items;
      run.next = list.next && /^[A-Za-z0-9-]{1,64}$/.test(list.next) ? list.next : undefined; // a page token the cursor cannot carry ends the run
    }
    return true;
  };
  while (items.length < ACTIVITY_PAGE) {
    const loaded = await Promise.all(runs.map(load));
    if (loaded.includes(false)) break;
    const open = runs.filter((run) => !run.done);
    if (!open.length) break;
    // the newest row at the head of either run
    const run = open.reduce((a, b) => ((b.rows![b.offset]!.createdAt ?? '') > (a.rows![a.offset]!.createdAt ?? '') ? b : a));
    const row = run.rows![run.offset++]!;
    const record = await ownerOf(ctx, run.flow, row.id);
    if (owns(userId, row, record)) items.push(present(row, record));
  }
  const more = runs.some((run) => !run.done && (!run.rows || run.offset < run.rows.length || run.next));
  const answer: OperationList = more ? { items, next: writeCursor(runs) } : { items };
  return json(answer);
};

function writeCursor(runs: Run[]): string {
  const part = (run: Run) => {
    // a run whose page is used up continues on its next page
    if (run.done || (run.rows && run.offset >= run.rows.length && !run.next)) return '~';
    if (run.rows && run.offset >= run.rows.length) return `${run.next}.0`;
    return `${run.page ?? ''}.${run.offset}`;
  };
  return runs.map(part).join('_');
}

/** `onrampPage.offset_offrampPage.offset`, `~` for a run that is over; no cursor: both runs from their first row. */
function parseCursor(cursor: string | null): Run[] {
  const fresh = (flow: Flow): Run => ({ flow, offset: 0, done: false });
  if (cursor === null) return [fresh('onramp'), fresh('offramp')];
  const parts = /^([A-Za-z0-9-]{0,64}\.\d{1,3}|~)_([A-Za-z0-9-]{0,64}\.\d{1,3}|~)$/.exec(cursor);
  if (!parts) throw new HttpError(400, 'invalid_request', 'Bad cursor.');
  return (['onramp', 'offramp'] as const).map((flow, i) => {
    const text = parts[i + 1]!;
    if (text === '~') return { flow, offset: 0, done: true };
    const [page = '', offset = '0'] = text.split('.');
    return { flow, ...(page ? { page } : {}), offset: Number(offset), done: false };
  });
}
