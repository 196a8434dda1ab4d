/**
 * Decodes one still image (JPEG, PNG, WebP, TIFF, GIF: what sharp reads) into RGB pixels, turned
 * upright by its EXIF orientation and scaled to a width, aspect kept. Used for images that
 * arrive in `msg.payload` and for folders of images.
 */
import sharp from 'sharp';

export interface DecodedImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

/**
 * Input pixels sharp may decode for one image: 8K UHD with room to spare. A larger image is
 * refused before it is decoded, so a hostile upload cannot take the process's memory.
 */
export const MAX_INPUT_PIXELS = 8192 * 8192;

/** `input` is the image's bytes or its path; `width` 0 keeps its size. */
export async function decodeImage(input: Buffer | string, width: number): Promise<DecodedImage> {
  let image = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
  if (width > 0) image = image.resize({ width });
  const { data, info } = await image
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) {
    throw new Error(`decoded image has ${info.channels} channels, expected 3 (RGB)`);
  }
  return { data, width: info.width, height: info.height, channels: 3 };
}
