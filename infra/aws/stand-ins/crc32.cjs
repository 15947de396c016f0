// @node-rs/crc32's API in the function bundles, from Node's own zlib (infra/aws/esbuild-plugins.cjs
// says why). zlib.crc32 is CRC-32 (IEEE 802.3), the checksum @node-rs/crc32's `crc32` computes.
const zlib = require('node:zlib');

module.exports = {
  /** @param {Uint8Array | string} input @param {number | null | undefined} initialState */
  crc32: (input, initialState) => zlib.crc32(input, initialState ?? 0),
  crc32c() {
    throw new Error('crc32c is not in this bundle (infra/aws/stand-ins/crc32.cjs)');
  },
};
