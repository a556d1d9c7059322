/**
 * RT Structure Set (PS3.3 A.19): regions of interest drawn as closed planar
 * contours in patient coordinates, each on the image it names. Rasterised
 * onto that image's pixel grid (even-odd fill at pixel centres).
 */
import type { DataSet } from 'dicom-parser';
import { decimals, parseDicomDataSet, text } from './dicomDataSet';
import { PixelDecodeError } from './pixelDecodeError';

export const rtStructureSetStorageUid = '1.2.840.10008.5.1.4.1.1.481.3';

export interface RoiInfo {
  number: number;
  name: string;
  /** ROI Display Color as '#rrggbb', or null */
  colour: string | null;
}

export interface RoiContour {
  roiNumber: number;
  /** the image the contour lies on (Contour Image Sequence) */
  sopInstanceUid: string;
  /** x, y, z in patient millimetres, point after point */
  points: number[];
}

export interface RtStructureSet {
  rois: RoiInfo[];
  contours: RoiContour[];
}

export interface ImageGeometry {
  rows: number;
  columns: number;
  /** Image Position (Patient): the centre of the first pixel */
  position: readonly number[];
  /** Image Orientation (Patient): direction of increasing column, then of increasing row */
  orientation: readonly number[];
  /** Pixel Spacing: between rows, then between columns */
  spacing: readonly number[];
}

function items(dataSet: DataSet, tag: string): DataSet[] {
  return (dataSet.elements[tag]?.items ?? []).map((item) => item.dataSet).filter((item): item is DataSet => item !== undefined);
}

export function readRtStructureSet(bytes: Uint8Array, fileName: string): RtStructureSet {
  const dataSet = parseDicomDataSet(bytes, fileName, false);
  if (text(dataSet, 'x00080016') !== rtStructureSetStorageUid) throw new PixelDecodeError(fileName, 'not a DICOM RT Structure Set');
  const names = new Map(items(dataSet, 'x30060020').map((roi) => [roi.intString('x30060022'), text(roi, 'x30060026')]));
  const rois: RoiInfo[] = [];
  const contours: RoiContour[] = [];
  for (const roiContour of items(dataSet, 'x30060039')) {
    const number = roiContour.intString('x30060084');
    if (number === undefined || Number.isNaN(number)) continue;
    const colour = decimals(roiContour, 'x3006002a');
    const hex = colour && colour.length === 3 ? `#${colour.map((value) => Math.min(255, Math.max(0, Math.round(value))).toString(16).padStart(2, '0')).join('')}` : null;
    rois.push({ number, name: names.get(number) ?? `ROI ${number}`, colour: hex });
    for (const contour of items(roiContour, 'x30060040')) {
      if (text(contour, 'x30060042') !== 'CLOSED_PLANAR') continue;
      const image = items(contour, 'x30060016')[0];
      const sopInstanceUid = image ? text(image, 'x00081155') : null;
      const points = decimals(contour, 'x30060050');
      if (sopInstanceUid && points && points.length >= 9) contours.push({ roiNumber: number, sopInstanceUid, points });
    }
  }
  if (rois.length === 0) throw new PixelDecodeError(fileName, 'RT Structure Set has no ROI contours');
  if (rois.some((roi) => roi.number > 255 || roi.number < 1)) throw new PixelDecodeError(fileName, 'RT Structure Set has ROI numbers outside 1..255, more than a class mask holds');
  return { rois, contours };
}

/** Patient millimetres to (column, row) of the image's pixel grid. */
function toPixel(geometry: ImageGeometry, x: number, y: number, z: number): [number, number] {
  const [px, py, pz] = geometry.position as [number, number, number];
  const [rx, ry, rz, cx, cy, cz] = geometry.orientation as [number, number, number, number, number, number];
  const [rowSpacing, columnSpacing] = geometry.spacing as [number, number];
  const [dx, dy, dz] = [x - px, y - py, z - pz];
  return [(dx * rx + dy * ry + dz * rz) / columnSpacing, (dx * cx + dy * cy + dz * cz) / rowSpacing];
}

/**
 * Fills each contour's polygon into a label map (pixel = ROI number; a later
 * contour wins where they overlap). A pixel belongs to a polygon when its
 * centre does (even-odd rule), so holes drawn as inner contours of the same
 * ROI need the fill rule across contours: contours of one ROI are filled
 * together.
 */
/** Row-by-edge steps one image's contours may cost: a file cannot make the import spin for minutes. */
const rasterWorkLimit = 50_000_000;

export function rasteriseContours(contours: readonly RoiContour[], geometry: ImageGeometry): Uint8Array {
  const edges = contours.reduce((sum, contour) => sum + Math.floor(contour.points.length / 3), 0);
  if (edges * geometry.rows > rasterWorkLimit) throw new Error(`contours with ${edges} points on a ${geometry.rows}-row image are too detailed to fill`);
  const labels = new Uint8Array(geometry.rows * geometry.columns);
  const byRoi = new Map<number, Array<Array<[number, number]>>>();
  for (const contour of contours) {
    const polygon: Array<[number, number]> = [];
    for (let at = 0; at + 2 < contour.points.length; at += 3) polygon.push(toPixel(geometry, contour.points[at]!, contour.points[at + 1]!, contour.points[at + 2]!));
    byRoi.set(contour.roiNumber, [...(byRoi.get(contour.roiNumber) ?? []), polygon]);
  }
  for (const [roiNumber, polygons] of [...byRoi.entries()].sort((a, b) => a[0] - b[0])) {
    for (let row = 0; row < geometry.rows; row++) {
      const crossings: number[] = [];
      for (const polygon of polygons) {
        for (let index = 0; index < polygon.length; index++) {
          const [x1, y1] = polygon[index]!;
          const [x2, y2] = polygon[(index + 1) % polygon.length]!;
          if (y1 <= row !== y2 <= row) crossings.push(x1 + ((row - y1) * (x2 - x1)) / (y2 - y1));
        }
      }
      crossings.sort((a, b) => a - b);
      for (let pair = 0; pair + 1 < crossings.length; pair += 2) {
        const first = Math.max(0, Math.ceil(crossings[pair]!));
        const last = Math.min(geometry.columns - 1, Math.floor(crossings[pair + 1]!));
        for (let column = first; column <= last; column++) labels[row * geometry.columns + column] = roiNumber;
      }
    }
  }
  return labels;
}
