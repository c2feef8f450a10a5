// Test helper (imported by tests only): runs a lesson through the real SimulationHost step by step, as the
// page would with a viewer pressing Next and Space.
import { SimulationHost } from '../../worker/host';
import type { CommandResult, SimulationSnapshot, WorkerEvent } from '../../worker/protocol';
import type { Scenario } from '../schema';

/** A host whose wall clock never moves (tick budgets never cut a tick short) and its results. */
export function lessonHost() {
  const events: WorkerEvent[] = [];
  const host = new SimulationHost(
    (e) => events.push(e),
    1,
    () => 0,
  );
  let requestId = 1;
  const lastResult = (): CommandResult | undefined => {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i];
      if (e?.type === 'result') return e.result;
    }
    return undefined;
  };
  const api = {
    host,
    events,
    snapshot: (): SimulationSnapshot => host.snapshot(),
    open(scenario: Scenario, stepIndex = 0): CommandResult | undefined {
      host.handle({ type: 'openLesson', requestId: requestId++, scenario, stepIndex });
      return lastResult();
    },
    next(scenario: Scenario, stepIndex: number): CommandResult | undefined {
      const step = scenario.steps?.[stepIndex];
      if (!step) throw new Error(`no step ${stepIndex}`);
      host.handle({ type: 'lessonStep', requestId: requestId++, step, stepIndex });
      return lastResult();
    },
    /**
     * What a viewer does after a step's actions: waits for a jump to end, and when the step pauses on a
     * condition, presses Space if the clock is paused and plays (100 ms ticks) until the condition is met
     * or `maxTicks` pass.
     */
    settle(maxTicks = 20_000): void {
      for (let i = 0; i < maxTicks && host.jumping; i++) host.tick(100);
      const pause = host.snapshot().lesson?.pause;
      if (!pause || pause.met) return;
      if (!host.snapshot().playing) host.handle({ type: 'play' });
      for (let i = 0; i < maxTicks; i++) {
        host.tick(100);
        if (host.snapshot().lesson?.pause?.met) return;
      }
    },
    /** The ShardId the engine gives a partition key now (the Key inspector's answer). */
    shardOfKey(partitionKey: string): string | undefined {
      host.handle({ type: 'inspectKey', requestId: requestId++, partitionKey });
      const result = lastResult();
      return result?.ok && typeof result.output.shardId === 'string' ? result.output.shardId : undefined;
    },
    /** Throttled totals per ShardId now. */
    throttled(): Map<string, number> {
      const stream = host.snapshot().stream;
      return new Map(stream?.shards.map((s) => [s.shardId, stream.throttled[s.position] ?? 0]) ?? []);
    },
    /** Accepted totals per ShardId now. */
    accepted(): Map<string, number> {
      const stream = host.snapshot().stream;
      return new Map(stream?.shards.map((s) => [s.shardId, stream.accepted[s.position] ?? 0]) ?? []);
    },
  };
  return api;
}
