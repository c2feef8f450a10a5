import { useId } from 'react';
import { useSim } from '../state/SimStoreProvider';
import {
  selectActions,
  selectResult,
  selectServer,
  selectStreamListing,
  selectStreamName,
} from '../state/selectors';
import { ResultMessage } from './ResultMessage';

/** The endpoint is the page's own origin: Kinesis calls are `POST /` on the same port. */
const endpointUrl = () => window.location.origin;

/**
 * When `npm start`'s server runs the engine: the Kinesis endpoint to point real clients at, a picker of
 * the streams they created (the stream on screen), and commands to copy for the AWS CLI, the AWS SDK for
 * JavaScript v3 and boto3. Nothing when the engine runs in the page.
 */
export function EndpointPanel() {
  const server = useSim(selectServer);
  const listing = useSim(selectStreamListing);
  const onScreen = useSim(selectStreamName);
  const actions = useSim(selectActions);
  const result = useSim(selectResult('showStream'));
  const pickerId = useId();
  if (!server) return null;
  const endpoint = endpointUrl();
  const stream = onScreen ?? 'my-stream';
  return (
    <section className="panel" aria-labelledby="endpoint-heading">
      <h2 id="endpoint-heading">Your own producer</h2>
      <p>
        Kinesis endpoint: <code data-testid="endpoint-url">{endpoint}</code>
        {server.connected ? null : <strong> (reconnecting…)</strong>}
      </p>
      <p className="hint">
        Point the AWS CLI, an AWS SDK or boto3 at it with any credentials and region: what they write shows
        here, live, on the same shards and clock.
      </p>
      {server.canControl ? null : (
        <p className="result" role="status">
          This page is a viewer: it follows the presenter's simulation. Only the page opened with the
          presenter's token may change it; Kinesis clients may still write.
        </p>
      )}
      {/* A label beside the select, not around it: around it, the select's accessible name would take in the
          chosen option ("Stream on screen clicks (ACTIVE, …)"). */}
      <div>
        <label htmlFor={pickerId}>Stream on screen</label>
        <select
          id={pickerId}
          value={onScreen ?? ''}
          disabled={!server.canControl}
          onChange={(e) => actions.showStream(e.target.value)}
        >
          {(listing ?? []).map((s) => (
            <option key={s.streamName} value={s.streamName}>
              {`${s.streamName} (${s.status}, ${s.openShards} open shard${s.openShards === 1 ? '' : 's'})`}
            </option>
          ))}
        </select>
      </div>
      <p className="hint">
        A stream a client creates comes on screen until you pick one here. The page's producers write to the
        stream on screen. Loading a preset or creating a stream from this page starts a new simulation: the
        streams clients created are gone.
      </p>
      <ResultMessage result={result} success={(output) => `Now showing ${String(output.streamName)}.`} />
      <details>
        <summary>Example commands</summary>
        <p>AWS CLI v2</p>
        <pre>
          <code>{`# a stream of your own (it comes on screen until you pick one above)
aws kinesis create-stream --stream-name clicks --shard-count 4 --endpoint-url ${endpoint}
# a record on the stream on screen, ${stream}
aws kinesis put-record --stream-name ${stream} --partition-key user-1 --data aGk= --endpoint-url ${endpoint}`}</code>
        </pre>
        <p>AWS SDK for JavaScript v3</p>
        <pre>
          <code>{`const kinesis = new KinesisClient({ endpoint: '${endpoint}', region: 'us-east-1' });
await kinesis.send(new PutRecordCommand({
  StreamName: '${stream}', PartitionKey: 'user-1', Data: new TextEncoder().encode('hi'),
}));`}</code>
        </pre>
        <p>boto3</p>
        <pre>
          <code>{`kinesis = boto3.client('kinesis', endpoint_url='${endpoint}', region_name='us-east-1')
kinesis.put_record(StreamName='${stream}', PartitionKey='user-1', Data=b'hi')`}</code>
        </pre>
        <p className="hint">
          Without AWS credentials set, add <code>AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x</code>: any value
          is accepted, signatures are not checked.
        </p>
      </details>
    </section>
  );
}
