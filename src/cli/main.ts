/**
 * The `maskwatch` command. Each subcommand lives in its own file; this one only parses and
 * dispatches, and turns errors into a one-line message and exit code 1.
 */
import { Command, CommanderError } from 'commander';
import { registerConvert } from './convert-command';
import { registerEvaluate } from './evaluate-command';
import { registerMot } from './mot-command';
import { registerMotEval } from './mot-eval-command';
import { registerPoseEval } from './pose-eval-command';
import { registerRun } from './run-command';
import { registerTrack } from './track-command';

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('maskwatch')
    .description('Mask-compliance statistics from video, with the Maskwatch Node-RED stages')
    .exitOverride()
    .showHelpAfterError();
  // One register function per subcommand, each in its own file.
  const commands = [
    registerRun,
    registerEvaluate,
    registerTrack,
    registerMot,
    registerMotEval,
    registerConvert,
    registerPoseEval,
  ];
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`maskwatch: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
