/**
 * The confusion matrix as a picture: an SVG heat map (cells shaded by the share of their row,
 * counts written in), rasterised to PNG by sharp (librsvg).
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { ClassificationReport } from '../core/classification-metrics';

const CELL_PX = 90;
const MARGIN_LEFT_PX = 120;
const MARGIN_TOP_PX = 70;
const FONT = 'DejaVu Sans, Arial, sans-serif';

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** White for an empty share, dark blue for all of the row. */
function shade(share: number): string {
  const light = Math.round(255 - share * 200);
  return `rgb(${light},${Math.round(255 - share * 150)},255)`;
}

export function confusionSvg(report: ClassificationReport, title: string): string {
  const k = report.labels.length;
  const width = MARGIN_LEFT_PX + k * CELL_PX + 20;
  const height = MARGIN_TOP_PX + k * CELL_PX + 50;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" font-size="15" text-anchor="middle">${escapeXml(title)}</text>`,
    `<text x="${MARGIN_LEFT_PX + (k * CELL_PX) / 2}" y="${MARGIN_TOP_PX - 28}" font-size="12" text-anchor="middle">predicted</text>`,
    `<text x="14" y="${MARGIN_TOP_PX + (k * CELL_PX) / 2}" font-size="12" transform="rotate(-90 14 ${MARGIN_TOP_PX + (k * CELL_PX) / 2})" text-anchor="middle">truth</text>`,
  ];
  report.labels.forEach((label, j) => {
    const x = MARGIN_LEFT_PX + j * CELL_PX + CELL_PX / 2;
    parts.push(
      `<text x="${x}" y="${MARGIN_TOP_PX - 8}" font-size="12" text-anchor="middle">${escapeXml(label)}</text>`,
    );
  });
  report.confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const y = MARGIN_TOP_PX + i * CELL_PX;
    parts.push(
      `<text x="${MARGIN_LEFT_PX - 8}" y="${y + CELL_PX / 2 + 4}" font-size="12" text-anchor="end">${escapeXml(report.labels[i] as string)}</text>`,
    );
    row.forEach((count, j) => {
      const share = total > 0 ? count / total : 0;
      const x = MARGIN_LEFT_PX + j * CELL_PX;
      const ink = share > 0.6 ? 'white' : 'black';
      parts.push(
        `<rect x="${x}" y="${y}" width="${CELL_PX}" height="${CELL_PX}" fill="${shade(share)}" stroke="#888"/>`,
        `<text x="${x + CELL_PX / 2}" y="${y + CELL_PX / 2 + 6}" font-size="18" text-anchor="middle" fill="${ink}">${count}</text>`,
      );
    });
  });
  const footer = `accuracy ${(report.accuracy * 100).toFixed(1)} % · macro F1 ${(report.macroF1 * 100).toFixed(1)} % · ${report.count} faces`;
  parts.push(
    `<text x="${width / 2}" y="${height - 18}" font-size="12" text-anchor="middle">${footer}</text>`,
    '</svg>',
  );
  return parts.join('\n');
}

/**
 * Rendered to a buffer, then written with fs: a failed write is then one Node error (code and
 * path) rather than libvips' several lines, and the error names the file.
 */
export async function writeConfusionPng(
  report: ClassificationReport,
  title: string,
  path: string,
): Promise<void> {
  const png = await sharp(Buffer.from(confusionSvg(report, title)))
    .png()
    .toBuffer();
  try {
    await writeFile(path, png);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new Error(`confusion plot ${path}: cannot be written (${code})`);
  }
}
