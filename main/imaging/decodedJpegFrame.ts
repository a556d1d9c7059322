/** The samples of one decoded JPEG frame, whichever decoder (jpeg-js or the extended one) produced them. */
export interface DecodedJpegFrame {
  width: number;
  height: number;
  channels: 1 | 3;
  precision: number;
  data: Uint8Array | Uint16Array;
}
