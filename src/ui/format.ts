const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12,345 */
export const formatCount = (n: number) => integer.format(n);

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Bytes in B / KiB / MiB / GiB, as Kinesis limits are stated, with thousands separators: 1,234.50 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${integer.format(n)} B`;
  if (n < 1024 * 1024) return `${oneDecimal.format(n / 1024)} KiB`;
  if (n < 1024 ** 3) return `${twoDecimals.format(n / (1024 * 1024))} MiB`;
  return `${twoDecimals.format(n / 1024 ** 3)} GiB`;
}

/** Virtual time as an ISO-like UTC date-time: 2026-01-01 00:00:05.250 UTC */
export function formatVirtualTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} UTC`;
}

/** An elapsed virtual duration: 1d 02:03:04 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const h = String(Math.floor((total % 86400) / 3600)).padStart(2, '0');
  const m = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const s = String(total % 60).padStart(2, '0');
  return `${days > 0 ? `${days}d ` : ''}${h}:${m}:${s}`;
}

/** A byte limit as Kinesis states it: 1 MiB, 10 MiB, 512 KiB. */
export function formatByteLimit(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${formatCount(n)} B`;
}

/** A shard's write limits in words, from the engine's numbers: "1,000 records/s and 1 MiB/s". */
export function formatShardLimits(limits: { recordsPerSecond: number; bytesPerSecond: number }): string {
  return `${formatCount(limits.recordsPerSecond)} records/s and ${formatByteLimit(limits.bytesPerSecond)}/s`;
}

/** A virtual second (epoch s) as a UTC date-time: 2026-01-01 00:00:05 UTC */
export function formatVirtualSecond(epochSeconds: number): string {
  return formatVirtualTime(epochSeconds * 1000).replace(/\.\d{3} UTC$/, ' UTC');
}

/** A speed (virtual ms per wall ms) as people say it: 3,600×, 850×, 0.8× */
export function formatSpeed(speed: number): string {
  return speed >= 10 || Number.isInteger(speed) ? `${integer.format(speed)}×` : `${speed.toFixed(1)}×`;
}

/** A span of time in the largest unit that keeps it readable: 250 ms, 45 s, 17 min, 6 h, 3 days */
export function formatSpan(ms: number): string {
  if (ms < 1000) return `${integer.format(ms)} ms`;
  if (ms < 120_000) return `${integer.format(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${integer.format(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return `${integer.format(ms / 3_600_000)} h`;
  return `${integer.format(ms / 86_400_000)} days`;
}

/** A jump's length as its button says it: +24 h, +1 h, +5 min, +1d 02:03:04 */
export function formatJump(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `+${ms / 3_600_000} h`;
  if (ms > 0 && ms % 60_000 === 0 && ms < 3_600_000) return `+${ms / 60_000} min`;
  return `+${formatDuration(ms)}`;
}

/** "1 expired shard" / "3 expired shards": a stream's EXPIRED shards, as charts and tables name them. */
export function formatExpiredShards(count: number): string {
  return `${formatCount(count)} expired ${count === 1 ? 'shard' : 'shards'}`;
}
