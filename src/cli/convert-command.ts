/**
 * `maskwatch convert <model.json> <out.onnx>`: a tfjs graph model to an ONNX model, with the
 * converter of src/convert. Prints what it wrote and the file's sha256 (the model cards record it).
 */
import type { Command } from 'commander';
import { integerAtLeast } from '../core/validate';
import { convertModelFile } from '../convert/convert-model-file';

interface ConvertFlags {
  outputs?: string;
  outputNames?: string;
  float16MinElements: string;
  json?: boolean;
  dynamicSize?: boolean;
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('convert a tfjs graph model (model.json + weight files) to ONNX')
    .argument('<model.json>', 'tfjs graph model')
    .argument('<out.onnx>', 'ONNX file to write')
    .option('--outputs <names>', 'comma-separated tensors to output (default: the model signature)')
    .option('--output-names <names>', 'comma-separated names for those outputs in the ONNX file')
    .option(
      '--float16-min-elements <n>',
      'store float32 weights of at least n elements as float16 (0 = keep float32)',
      '0',
    )
    .option('--dynamic-size', 'make the height and width of an NHWC image input dynamic')
    .option('--json', 'print the result as JSON')
    .action(async (modelJson: string, out: string, flags: ConvertFlags) => {
      const result = await convertModelFile(modelJson, out, {
        outputs: list(flags.outputs),
        outputNames: list(flags.outputNames),
        float16MinElements: integerAtLeast('--float16-min-elements', flags.float16MinElements, 0),
        dynamicSize: flags.dynamicSize ?? false,
      });
      const summary = {
        out: result.outPath,
        bytes: result.bytes.byteLength,
        sha256: result.sha256,
        inputs: result.inputs,
        outputs: result.outputs,
        onnxNodes: result.nodeCount,
        tfOps: result.ops,
      };
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(summary, null, 2)}\n`
          : `${summary.out}: ${summary.bytes} bytes, sha256 ${summary.sha256}\n` +
              `inputs ${summary.inputs.join(', ')}; outputs ${summary.outputs.join(', ')}; ` +
              `${summary.onnxNodes} ONNX nodes\n`,
      );
    });
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
