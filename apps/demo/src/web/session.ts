/** What the demo's server tells its page: where the room is, and how to authenticate. */
export interface DashboardSession {
  readonly title: string
  readonly host: string
  readonly webPort: number
  /** Only to a page of this server's own origin; never printed, never logged. */
  readonly pin?: string
  /** The peer the send form offers first. */
  readonly sendTo: string
}
