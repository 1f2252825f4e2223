/** One row of the chaos table, and the lines that explain it. */
export interface ChaosRow {
  /** The scenario and variant, for example `slow consumer, QoS 1`. */
  name: string;
  sent: number;
  /** Publishes the broker acknowledged (the publish call resolved). */
  acked: number;
  /** Events that reached a handler at least once. */
  received: number;
  /** Extra receipts of events that reached the handler more than once. */
  duplicated: number;
  /** Acknowledged events that never reached the handler. */
  lost: number;
  /** The subscriber's status changes away from `connected`. */
  drops: number;
  /** Peak `heapUsed` above the baseline taken before the run, in MB. */
  heapMB: number;
  durationS: number;
  /** What else the run saw: per-try figures, rejections, broker drops, causes, bounds. */
  details: string[];
}

/** The counts of a run, as a ledger sums them up. */
export type ChaosCounts = Pick<ChaosRow, 'sent' | 'acked' | 'received' | 'duplicated' | 'lost'>;

/** A table row from the counts of a run and what was measured around it. */
export function chaosRow(
  name: string,
  counts: ChaosCounts,
  measured: Pick<ChaosRow, 'drops' | 'heapMB' | 'durationS' | 'details'>,
): ChaosRow {
  const { sent, acked, received, duplicated, lost } = counts;
  return { name, sent, acked, received, duplicated, lost, ...measured };
}

const HEADER = [
  'scenario',
  'sent',
  'broker-acked',
  'received',
  'duplicated',
  'lost',
  'conn. drops',
  'peak heap growth',
  'duration',
];

/** The rows as a Markdown table. */
export function renderTable(rows: readonly ChaosRow[]): string {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [
      r.name,
      r.sent,
      r.acked,
      r.received,
      r.duplicated,
      r.lost,
      r.drops,
      `${r.heapMB.toFixed(1)} MB`,
      `${r.durationS.toFixed(1)} s`,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The details of every row, one bullet list per row. */
export function renderDetails(rows: readonly ChaosRow[]): string {
  const out: string[] = [];
  for (const r of rows) {
    out.push('', `**${r.name}**`, '', ...r.details.map((d) => `- ${d}`));
  }
  return out.join('\n');
}
