import type { Fault } from '../Fault'
import type { Scenario, ScenarioStep } from '../Scenario'
import type { FileOffer, FileSend } from '../types'
import type { Scheduler } from './Scheduler'

/** What scenario steps act through: the simulator's public methods, plus accept and reject of an offer. */
export interface ScenarioTarget {
  offerFile(offer: FileOffer): string
  sendFile(send: FileSend): Promise<string>
  setAvailability(availability: 0 | 1 | 2 | 3): void
  injectFault(fault: Fault): void
  clearFaults(): void
  disconnectClients(code?: number): void
  /** The room's user accepts or rejects an offer; a reason to skip is logged, not thrown. */
  accept(fileRequestId: string): void
  reject(fileRequestId: string): void
}

export interface ScenarioRunnerDeps {
  readonly scheduler: Scheduler
  readonly target: ScenarioTarget
  readonly log: (line: string) => void
  readonly closed: () => boolean
}

/**
 * Runs a scenario's timed steps from its start (the first auth). Steps are validated already; each
 * is handed to the public method of its action as it is.
 */
export class ScenarioRunner {
  private started: boolean
  private markStarted: () => void = () => undefined
  private readonly startedPromise = new Promise<void>((resolve) => {
    this.markStarted = resolve
  })

  constructor(
    private readonly scenario: Scenario | undefined,
    private readonly deps: ScenarioRunnerDeps,
  ) {
    this.started = scenario === undefined
  }

  /** Resolves once the scenario has started (at once without one, or when the simulator closes). */
  whenStarted(): Promise<void> {
    return this.started ? Promise.resolve() : this.startedPromise
  }

  start(): void {
    const { scenario } = this
    if (this.started || scenario === undefined) return
    this.started = true
    this.deps.log(
      `scenario "${scenario.name ?? 'unnamed'}" started (${scenario.steps.length} steps)`,
    )
    const { scheduler } = this.deps
    // Scheduled from inside one step, so that every step is timed from that step's single due time:
    // outside a step, the scheduler reads the real clock on each call, and on a loaded machine the
    // readings drift apart (times 1/timeScale), which could reorder near-simultaneous steps.
    scheduler.schedule(0, () => {
      for (const step of scenario.steps) scheduler.schedule(step.at, () => this.run(step))
    })
    this.markStarted()
  }

  /** Lets `whenStarted()` resolve when the simulator closes before any client authenticated. */
  release(): void {
    this.markStarted()
  }

  private run(step: ScenarioStep): Promise<void> | undefined {
    const { target, scheduler, log } = this.deps
    if ('offer' in step) {
      const id = target.offerFile(step.offer)
      const then = step.then ?? 'wait'
      if (then !== 'wait')
        scheduler.schedule(step.thenAfterMs ?? 0, () =>
          then === 'accept' ? target.accept(id) : target.reject(id),
        )
      return undefined
    }
    if ('send' in step) {
      // The scheduler holds later steps until the file is stored, so event order never depends on the disk.
      return target.sendFile(step.send).then(
        () => undefined,
        (error: unknown) => {
          if (!this.deps.closed())
            log(`scenario: send skipped: ${error instanceof Error ? error.message : String(error)}`)
        },
      )
    }
    if ('availability' in step) target.setAvailability(step.availability)
    else if ('fault' in step) target.injectFault(step.fault)
    else if ('clearFaults' in step) target.clearFaults()
    else target.disconnectClients(step.disconnect.code)
    return undefined
  }
}
