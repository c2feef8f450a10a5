/** Saves a Blob as a file through a temporary link (works in every modern browser, no server). */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves text as a file. */
export function downloadText(filename: string, text: string, type = 'text/plain'): void {
  downloadBlob(filename, new Blob([text], { type: `${type};charset=utf-8` }));
}

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** RFC 4180 CSV: a header row, then one row per record. */
export function toCsv(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `${[headers, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Legend entries of a recharts chart (drawn in HTML, outside its SVG): label and colour. */
function legendEntries(root: Element): { label: string; colour: string }[] {
  return [...root.querySelectorAll('.recharts-legend-item')].map((item) => {
    const mark = item.querySelector('svg path, svg line');
    const colour =
      (mark?.getAttribute('fill') && mark.getAttribute('fill') !== 'none'
        ? mark.getAttribute('fill')
        : mark?.getAttribute('stroke')) ?? '#000000';
    return {
      label: item.querySelector('.recharts-legend-item-text')?.textContent ?? item.textContent ?? '',
      colour,
    };
  });
}

/** Renders a chart to a PNG on a white background: a canvas as it is, a recharts SVG with its legend. */
export async function chartToPng(root: Element): Promise<Blob> {
  const canvas = root.querySelector('canvas');
  if (canvas) return canvasToBlob(canvas);
  // The plot is the wrapper's own SVG; legend icons are small SVGs of the same class, so pick by place.
  const svg = root.querySelector('.recharts-wrapper > svg.recharts-surface') ?? root.querySelector('svg');
  if (!svg) throw new Error('there is no chart to export');
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const source = new XMLSerializer().serializeToString(clone);
  const image = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the chart could not be rendered as an image'));
  });
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`;
  await loaded;
  const legend = legendEntries(root);
  const legendHeight = legend.length > 0 ? 28 : 0;
  const scale = 2;
  const out = document.createElement('canvas');
  out.width = Math.ceil(width * scale);
  out.height = Math.ceil((height + legendHeight) * scale);
  const context = out.getContext('2d');
  if (!context) throw new Error('this browser cannot draw to a canvas');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, out.width, out.height);
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  context.font = '12px system-ui, sans-serif';
  context.textBaseline = 'middle';
  let x = 16;
  for (const entry of legend) {
    context.fillStyle = entry.colour;
    context.fillRect(x, height + 9, 10, 10);
    context.fillStyle = '#111827';
    context.fillText(entry.label, x + 14, height + 14);
    x += 24 + context.measureText(entry.label).width;
  }
  return canvasToBlob(out);
}

function canvasToBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be made'))),
      'image/png',
    ),
  );
}
