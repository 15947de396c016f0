// esbuild plugins for the function bundles (serverless-esbuild loads this file).
const fs = require('node:fs');
const path = require('node:path');

/**
 * rocketmq-client-nodejs reads its version from `__dirname/../../package.json` at load time, a
 * file a bundle does not have: the version is written into the bundle instead.
 */
const rocketMqClientVersion = {
  name: 'rocketmq-client-version',
  setup(build) {
    build.onLoad(
      { filter: /rocketmq-client-nodejs[\\/]dist[\\/]client[\\/]UserAgent\.js$/ },
      (args) => {
        const source = fs.readFileSync(args.path, 'utf8');
        const pkg = path.join(path.dirname(args.path), '../../package.json');
        const { version } = JSON.parse(fs.readFileSync(pkg, 'utf8'));
        const replaced = source.replace(
          /JSON\.parse\(\(0, node_fs_1\.readFileSync\)\([^;]*\)\)\.version/,
          JSON.stringify(version),
        );
        if (replaced === source)
          throw new Error(`${args.path}: its version read has changed; update ${__filename}`);
        return { contents: replaced, loader: 'js' };
      },
    );
  },
};

module.exports = [rocketMqClientVersion];
