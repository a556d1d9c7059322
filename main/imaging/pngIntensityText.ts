/**
 * PNG holds only unsigned integers. When signed or real-valued pixels (CT in
 * HU, scaled NIfTI) are written as 16-bit PNG, these tEXt keys carry the map
 * back: value = stored * slope + intercept. The PNG reader applies it.
 */
export const pngRescaleSlopeKey = 'umedpt:rescaleSlope';
export const pngRescaleInterceptKey = 'umedpt:rescaleIntercept';
