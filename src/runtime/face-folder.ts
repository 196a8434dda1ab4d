/**
 * A folder of labelled face images in the layout the shared data sets use: one subfolder per
 * class (`with_mask/`, `without_mask/`, `mask_worn_incorrectly/`), images inside.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ClassifierLabel } from '../core/verdict-from-probs';

export const CLASS_FOLDERS: Readonly<Record<ClassifierLabel, string>> = {
  mask: 'with_mask',
  no_mask: 'without_mask',
  incorrect: 'mask_worn_incorrectly',
};

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);

export interface LabelledFace {
  path: string;
  label: ClassifierLabel;
}

/**
 * The images of `folder` for `labels`, class by class, in file-name order. Throws naming the
 * folder when it has none of the class subfolders, or no image in them.
 */
export function listLabelledFaces(
  folder: string,
  labels: readonly ClassifierLabel[],
): LabelledFace[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new Error(`face folder ${folder} does not exist or is not a folder`);
  }
  const faces: LabelledFace[] = [];
  for (const label of labels) {
    const dir = join(folder, CLASS_FOLDERS[label]);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) {
        faces.push({ path: join(dir, name), label });
      }
    }
  }
  if (faces.length === 0) {
    const wanted = labels.map((l) => `${CLASS_FOLDERS[l]}/`).join(', ');
    throw new Error(`face folder ${folder} has no images in ${wanted}`);
  }
  return faces;
}
