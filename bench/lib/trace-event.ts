/** One event of a Chromium trace (CDP `Tracing`), as the bench's diagnostics read it. */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, unknown>; fileName?: string; name?: string; frame?: string; [key: string]: unknown };
}
