/**
 * NODATA and SKIPDATA flow-log records (issue 21). AWS (FLOWREC, VPC-UG flow-logs-records-examples.md):
 *
 *     2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA
 *     2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA
 *
 * NODATA: "no network traffic to or from the network interface during the aggregation interval". SKIPDATA: "some flow
 * log records were skipped during the aggregation interval" (an internal capacity constraint or error); "a single
 * skipped record can represent multiple flows that were not captured". Every field about a packet is `-`, and so is
 * `action`; the interface's own fields (account, interface, VPC, subnet, instance, Region, zone) and the window's
 * `start`/`end` are filled.
 *
 * How `localvpc clock advance 7d` does not flood (the decision, also in the README): AWS writes one NODATA record per
 * quiet aggregation interval, which for a week of 1-minute windows is 10,080 records per interface. localvpc writes
 * ONE NODATA record per interface and flow log per quiet stretch, spanning it whole: `start` is where the last record
 * of that interface (traffic, or an earlier NODATA) ended, `end` the end of the last closed window. A quiet minute
 * under a running clock still gives one record per minute, as AWS's do; a jump of the clock gives one record for the
 * jump. So the number of NODATA records is bounded by (deliveries × monitored interfaces), never by simulated time.
 */

/** The quiet stretch of one interface under one flow log, if a whole aggregation interval passed without traffic. */
export interface QuietGap {
  readonly startSec: number;
  readonly endSec: number;
}

/**
 * The NODATA span for an interface, from where its records last ended (`coveredSec`: the end of its last record, or
 * where monitoring began), the end of its last window with traffic (`activityEndSec`, any action), the end of the last
 * closed window (`closedEndSec`) and the flow log's interval. Undefined when less than one whole interval is quiet.
 */
export const quietGap = (
  coveredSec: number,
  activityEndSec: number | undefined,
  closedEndSec: number,
  intervalSec: number,
): QuietGap | undefined => {
  const from = activityEndSec !== undefined && activityEndSec > coveredSec ? activityEndSec : coveredSec;
  return closedEndSec - from >= intervalSec ? { startSec: from, endSec: closedEndSec } : undefined;
};

/** The end (Unix seconds) of the last aggregation window closed at `nowMs`. */
export const closedWindowEndSec = (nowMs: number, intervalSec: number): number => Math.floor(nowMs / 1000 / intervalSec) * intervalSec;

/** Where a window of `intervalSec` containing `ms` starts (Unix seconds). */
export const windowStartSec = (ms: number, intervalSec: number): number => Math.floor(ms / 1000 / intervalSec) * intervalSec;
