import { useSim } from '../state/SimStoreProvider';
import type { SimState } from '../state/store';
import { formatCount, formatVirtualSecond } from './format';
import { ScrollRegion } from './ScrollRegion';

const selectProducers = (s: SimState) => s.snapshot?.producers;

/** User records per Kinesis record, to one decimal place. */
const ratio = (n: number) => (n > 0 ? n.toLocaleString('en-US', { maximumFractionDigits: 1 }) : '–');

/**
 * KPL producers' user records/s against the Kinesis records/s that carried them (the last completed virtual
 * second, as the worker counted it), and the Kinesis records' outcomes: the shard limits see only the latter.
 */
export function KplRates() {
  const producers = useSim(selectProducers);
  const kpl = (producers ?? []).filter((p) => p.kpl !== undefined);
  if (kpl.length === 0) return null;
  const second = kpl[0]?.kpl?.lastSecond ?? -1;
  return (
    <ScrollRegion label="KPL aggregation table">
      <table aria-label="KPL aggregation: user records/s vs Kinesis records/s">
        <caption>
          KPL aggregation: user records/s vs Kinesis records/s
          {second >= 0 ? ` (virtual second ${formatVirtualSecond(second)})` : ''}. Shard limits count Kinesis
          records.
        </caption>
        <thead>
          <tr>
            <th scope="col">Producer</th>
            <th scope="col">User records/s</th>
            <th scope="col">Kinesis records/s</th>
            <th scope="col">User records per Kinesis record</th>
            <th scope="col">Kinesis records sent</th>
            <th scope="col">Kinesis accepted</th>
            <th scope="col">Kinesis throttled</th>
            <th scope="col">Kinesis rejected</th>
          </tr>
        </thead>
        <tbody>
          {kpl.map((p) => {
            const k = p.kpl;
            if (!k) return null;
            return (
              <tr key={p.id}>
                <th scope="row">{p.name}</th>
                <td>{formatCount(Math.round(k.userRecordsLastSecond))}</td>
                <td>{formatCount(Math.round(k.kinesisRecordsLastSecond))}</td>
                <td>{ratio(k.aggregationRatio)}</td>
                <td>{formatCount(k.kinesisRecords)}</td>
                <td>{formatCount(k.kinesisAccepted)}</td>
                <td>{formatCount(k.kinesisThrottled)}</td>
                <td>{formatCount(k.kinesisRejected)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
