import { createEngine, type Engine, limits } from '../engine';
import { ProducerSet, producerProblem } from '../engine/producers/producerSet';
import type { Stream } from '../engine/stream';
import { parseScenario, type Scenario } from '../scenario/schema';
import { refused, toCommandResult } from './commandChecks';
import type { CommandResult, StreamConfig } from './protocol';

/** One running simulation: an engine with the stream on screen, and the producers writing to it. */
export interface Simulation {
  engine: Engine;
  producers: ProducerSet;
  config: StreamConfig;
  seed: number;
  /** Virtual ms the simulation started at (its stream ACTIVE): scenario fault windows count from here. */
  startMs: number;
  /** The loaded scenario's name and lesson, kept when it is shared or exported again. */
  label: { name?: string | undefined; lesson?: string | undefined };
}

/** The stream on screen (it exists from creation on: only deleting it would remove it). */
export function streamOf(sim: Simulation): Stream | undefined {
  return sim.engine.core.stream(sim.config.streamName);
}

/**
 * A fresh engine with the configured stream, ACTIVE, and its retention set through
 * IncreaseStreamRetentionPeriod as on AWS (new streams start at 24 h). The result is the first Kinesis
 * error on the way, if any (then `simulation` is undefined).
 */
export function buildSimulation(
  config: StreamConfig,
  seed: number,
): { simulation: Simulation | undefined; result: CommandResult } {
  const engine = createEngine({
    seed,
    throttle: limits.THROTTLE_MODELS.includes(config.throttle) ? config.throttle : 'token-bucket',
  });
  const created = engine.call(
    'CreateStream',
    config.mode === 'ON_DEMAND'
      ? {
          StreamName: config.streamName,
          StreamModeDetails: { StreamMode: 'ON_DEMAND' },
          ...(config.recordDistribution ? { RecordDistributionStrategy: config.recordDistribution } : {}),
        }
      : {
          StreamName: config.streamName,
          ShardCount: config.shardCount,
          ...(config.recordDistribution ? { RecordDistributionStrategy: config.recordDistribution } : {}),
        },
  );
  if (!created.ok) return { simulation: undefined, result: toCommandResult('CreateStream', created) };
  engine.advanceTime(engine.core.transitionMs);
  if (config.retentionHours !== limits.RETENTION_HOURS_DEFAULT) {
    const retention = engine.call('IncreaseStreamRetentionPeriod', {
      StreamName: config.streamName,
      RetentionPeriodHours: config.retentionHours,
    });
    if (!retention.ok)
      return { simulation: undefined, result: toCommandResult('IncreaseStreamRetentionPeriod', retention) };
  }
  const stream = engine.core.stream(config.streamName);
  if (!stream) throw new Error(`stream ${config.streamName} is missing`);
  return {
    simulation: {
      engine,
      producers: new ProducerSet(engine.core, stream),
      config: { ...config },
      seed,
      startMs: engine.now(),
      label: {},
    },
    result: { ok: true, operation: 'CreateStream', output: {} },
  };
}

/**
 * A simulation from untrusted scenario data: checked whole (schema, then each producer) before anything is
 * built, so a refused scenario changes nothing and takes no producer ids. `nextId` hands out producer ids.
 */
export function simulationFromScenario(
  input: unknown,
  nextId: () => number,
): { simulation: Simulation | undefined; scenario: Scenario | undefined; result: CommandResult } {
  const parsed = parseScenario(input);
  if (!parsed.ok) {
    return {
      simulation: undefined,
      scenario: undefined,
      result: {
        ok: false,
        operation: 'LoadScenario',
        errorType: 'Invalid scenario',
        message: parsed.message,
      },
    };
  }
  const scenario = parsed.scenario;
  for (const p of scenario.producers) {
    const problem = producerProblem(p.spec);
    if (problem) {
      const result = refused(
        'LoadScenario',
        'Invalid scenario',
        problem[0],
        `producer ${p.spec.name}: ${problem[1]}`,
      );
      return { simulation: undefined, scenario: undefined, result };
    }
  }
  const built = buildSimulation(scenario.stream, scenario.seed);
  if (!built.simulation)
    return {
      simulation: undefined,
      scenario: undefined,
      result: { ...built.result, operation: 'LoadScenario' },
    };
  const sim = built.simulation;
  const faultProblem = sim.engine.core.faults.set(
    (scenario.faults ?? []).map((f) => ({ ...f, startMs: sim.startMs + f.startMs })),
    sim.startMs,
  );
  if (faultProblem) {
    const result = refused('LoadScenario', 'Invalid scenario', faultProblem[0], `fault: ${faultProblem[1]}`);
    return { simulation: undefined, scenario: undefined, result };
  }
  for (const p of scenario.producers) built.simulation.producers.add(p.spec, p.running, nextId());
  built.simulation.label = { name: scenario.name, lesson: scenario.lesson };
  return {
    simulation: built.simulation,
    scenario,
    result: { ok: true, operation: 'LoadScenario', output: { name: scenario.name ?? '' } },
  };
}
