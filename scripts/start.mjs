// `npm start`: a real Node-RED runtime with this package installed and the example flow
// "Count mask compliance in a video file" deployed on the demo clip. Its user folder is
// .node-red/ inside the project (ignored by git). Flags after `--`:
//   --reset-flows   replace the deployed flow with the example again (your edits are lost)
//   --port N        editor and HTTP port (default 1880, or $PORT)
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = require(join(root, 'package.json'));
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? args[portArg + 1] : (process.env.PORT ?? '1880');
const userDir = join(root, '.node-red');
const flowFile = 'flows.json';
const example = join(root, 'examples', 'count-mask-compliance-in-a-video-file.json');

mkdirSync(join(userDir, 'node_modules', '@maskwatch'), { recursive: true });
// Install this package into the user folder the way `npm link` would, so edits need only a rebuild.
const link = join(userDir, 'node_modules', pkg.name);
rmSync(link, { recursive: true, force: true });
symlinkSync(relative(dirname(link), root), link, 'dir');
writeFileSync(
  join(userDir, 'package.json'),
  JSON.stringify(
    {
      name: 'maskwatch-demo-userdir',
      private: true,
      dependencies: { [pkg.name]: `file:${relative(userDir, root)}` },
    },
    null,
    2,
  ) + '\n',
);

if (args.includes('--reset-flows') || !existsSync(join(userDir, flowFile))) {
  copyFileSync(example, join(userDir, flowFile));
  console.log(`maskwatch: deployed the example flow "${relative(root, example)}"`);
} else {
  console.log('maskwatch: keeping the flow in .node-red/flows.json (npm start -- --reset-flows)');
}
console.log(`maskwatch: editor at http://localhost:${port}/ (Ctrl-C stops Node-RED)`);

const red = require.resolve('node-red/red.js');
const child = spawn(process.execPath, [red, '--userDir', userDir, '--port', port, flowFile], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
// `npm start` runs this script under a shell that dies of npm's SIGTERM without passing it on, so a
// supervisor stopping npm would leave Node-RED running: when this script loses its parent, it stops
// Node-RED as if it had been sent SIGTERM itself.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 1000).unref();
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
