/**
 * Options of the flow page: a page served by the application's own HTTP server that draws the
 * event flow of every Busline application in the process (publishers, topics, handlers), with
 * live counters, the message types and the AsyncAPI document. Off unless given.
 */
export interface FlowPageOptions {
  /**
   * Where the page is served, such as `'/busline'` (an absolute path, outside any global prefix).
   * Its data is at `<path>/flow.json`.
   */
  path: string;
  /** How often the open page refreshes its counters, in ms (default 1,000). */
  refreshInterval?: number;
}
