/**
 * A small `/object_info` for the fake ComfyUI: the node classes Reelay's templates use, with the
 * model files a Wan 2.2 / LTX box would have, in both of ComfyUI's combo forms (the classic list
 * and the newer `["COMBO", {options}]`), and the validation `POST /prompt` does with it
 * (execution.py validate_inputs: the real 400 body with `node_errors`).
 */

type Spec = [unknown, Record<string, unknown>?];
type NodeInfo = { input: { required: Record<string, Spec>; optional?: Record<string, Spec> }; output: string[] };

const INT: Spec = ['INT', {}];
const FLOAT: Spec = ['FLOAT', {}];
const STRING: Spec = ['STRING', {}];
const link = (type: string): Spec => [type, {}];

export const MODEL_FILES = {
  diffusion: ['wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors', 'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors', 'wan2.2_ti2v_5B_fp16.safetensors'],
  clip: ['umt5_xxl_fp8_e4m3fn_scaled.safetensors', 't5xxl_fp16.safetensors'],
  vae: ['wan_2.1_vae.safetensors', 'wan2.2_vae.safetensors'],
  checkpoints: ['ltx-video-2b-v0.9.5.safetensors'],
};

export function objectInfo(files = MODEL_FILES, images: () => string[] = () => []): Record<string, NodeInfo> {
  const sampler = { steps: INT, cfg: FLOAT, sampler_name: [['euler', 'uni_pc']] as Spec, scheduler: [['simple', 'normal']] as Spec };
  return {
    UNETLoader: { input: { required: { unet_name: [files.diffusion], weight_dtype: [['default', 'fp8_e4m3fn']] } }, output: ['MODEL'] },
    // The newer combo form, so the client reads both.
    CLIPLoader: {
      input: { required: { clip_name: ['COMBO', { options: files.clip }], type: [['wan', 'ltxv', 'sd3']] }, optional: { device: [['default', 'cpu']] } },
      output: ['CLIP'],
    },
    VAELoader: { input: { required: { vae_name: [files.vae] } }, output: ['VAE'] },
    CheckpointLoaderSimple: { input: { required: { ckpt_name: [files.checkpoints] } }, output: ['MODEL', 'CLIP', 'VAE'] },
    LoadImage: { input: { required: { image: [images(), { image_upload: true }] } }, output: ['IMAGE', 'MASK'] },
    CLIPTextEncode: { input: { required: { text: STRING, clip: link('CLIP') } }, output: ['CONDITIONING'] },
    WanImageToVideo: {
      input: {
        required: { positive: link('CONDITIONING'), negative: link('CONDITIONING'), vae: link('VAE'), width: INT, height: INT, length: INT, batch_size: INT },
        optional: { clip_vision_output: link('CLIP_VISION_OUTPUT'), start_image: link('IMAGE') },
      },
      output: ['CONDITIONING', 'CONDITIONING', 'LATENT'],
    },
    Wan22ImageToVideoLatent: {
      input: { required: { vae: link('VAE'), width: INT, height: INT, length: INT, batch_size: INT }, optional: { start_image: link('IMAGE') } },
      output: ['LATENT'],
    },
    ModelSamplingSD3: { input: { required: { model: link('MODEL'), shift: FLOAT } }, output: ['MODEL'] },
    KSamplerAdvanced: {
      input: {
        required: {
          model: link('MODEL'),
          add_noise: [['enable', 'disable']],
          noise_seed: INT,
          ...sampler,
          positive: link('CONDITIONING'),
          negative: link('CONDITIONING'),
          latent_image: link('LATENT'),
          start_at_step: INT,
          end_at_step: INT,
          return_with_leftover_noise: [['disable', 'enable']],
        },
      },
      output: ['LATENT'],
    },
    KSampler: {
      input: {
        required: {
          model: link('MODEL'),
          seed: INT,
          ...sampler,
          positive: link('CONDITIONING'),
          negative: link('CONDITIONING'),
          latent_image: link('LATENT'),
          denoise: FLOAT,
        },
      },
      output: ['LATENT'],
    },
    LTXVPreprocess: { input: { required: { image: link('IMAGE'), img_compression: INT } }, output: ['IMAGE'] },
    LTXVImgToVideo: {
      input: {
        required: {
          positive: link('CONDITIONING'),
          negative: link('CONDITIONING'),
          vae: link('VAE'),
          image: link('IMAGE'),
          width: INT,
          height: INT,
          length: INT,
          batch_size: INT,
        },
        optional: { strength: FLOAT },
      },
      output: ['CONDITIONING', 'CONDITIONING', 'LATENT'],
    },
    LTXVConditioning: {
      input: { required: { positive: link('CONDITIONING'), negative: link('CONDITIONING'), frame_rate: FLOAT } },
      output: ['CONDITIONING', 'CONDITIONING'],
    },
    KSamplerSelect: { input: { required: { sampler_name: [['euler']] } }, output: ['SAMPLER'] },
    LTXVScheduler: {
      input: { required: { steps: INT, max_shift: FLOAT, base_shift: FLOAT, stretch: ['BOOLEAN', {}], terminal: FLOAT }, optional: { latent: link('LATENT') } },
      output: ['SIGMAS'],
    },
    SamplerCustom: {
      input: {
        required: {
          model: link('MODEL'),
          add_noise: ['BOOLEAN', {}],
          noise_seed: INT,
          cfg: FLOAT,
          positive: link('CONDITIONING'),
          negative: link('CONDITIONING'),
          sampler: link('SAMPLER'),
          sigmas: link('SIGMAS'),
          latent_image: link('LATENT'),
        },
      },
      output: ['LATENT', 'LATENT'],
    },
    VAEDecode: { input: { required: { samples: link('LATENT'), vae: link('VAE') } }, output: ['IMAGE'] },
    CreateVideo: { input: { required: { images: link('IMAGE'), fps: FLOAT }, optional: { audio: link('AUDIO') } }, output: ['VIDEO'] },
    SaveVideo: { input: { required: { video: link('VIDEO'), filename_prefix: STRING, format: [['auto', 'mp4']], codec: [['auto', 'h264']] } }, output: [] },
  };
}

export interface NodeError {
  errors: Array<{ type: string; message: string; details: string; extra_info: Record<string, unknown> }>;
  dependent_outputs: string[];
  class_type: string;
}

type Graph = Record<string, { class_type?: string; inputs?: Record<string, unknown> }>;

/** validate_prompt: `{error, node_errors}` as server.py answers 400, or undefined when the graph is fine. */
export function validateGraph(
  graph: Graph,
  info: Record<string, NodeInfo>,
): { error: Record<string, unknown>; node_errors: Record<string, NodeError> } | undefined {
  for (const [id, node] of Object.entries(graph)) {
    if (!node.class_type || !info[node.class_type]) {
      const message = `Node '${id}' has an invalid or missing node type: ${String(node.class_type)}`;
      return {
        error: { type: 'missing_node_type', message, details: `Node ID '#${id}'`, extra_info: { node_id: id, class_type: node.class_type } },
        node_errors: {},
      };
    }
  }
  const outputs = Object.keys(graph).filter((id) => info[graph[id]!.class_type!]!.output.length === 0);
  if (outputs.length === 0) return { error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} }, node_errors: {} };
  const nodeErrors: Record<string, NodeError> = {};
  for (const [id, node] of Object.entries(graph)) {
    const schema = info[node.class_type!]!;
    const errors: NodeError['errors'] = [];
    for (const [name, spec] of Object.entries(schema.input.required)) {
      const value = node.inputs?.[name];
      if (value === undefined) {
        errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name, extra_info: { input_name: name } });
        continue;
      }
      const options = Array.isArray(spec[0]) ? (spec[0] as string[]) : spec[0] === 'COMBO' ? ((spec[1]?.options as string[]) ?? []) : undefined;
      if (!options || Array.isArray(value)) continue;
      if (node.class_type === 'LoadImage') {
        if (!options.includes(String(value))) {
          errors.push({
            type: 'custom_validation_failed',
            message: 'Custom validation failed for node',
            details: `image - Invalid image file: ${String(value)}`,
            extra_info: { input_name: 'image' },
          });
        }
      } else if (!options.includes(String(value))) {
        const details = `${name}: '${String(value)}' not in ${JSON.stringify(options)}`;
        errors.push({ type: 'value_not_in_list', message: 'Value not in list', details, extra_info: { input_name: name, received_value: value } });
      }
    }
    if (errors.length > 0) nodeErrors[id] = { errors, dependent_outputs: outputs, class_type: node.class_type! };
  }
  if (Object.keys(nodeErrors).length === 0) return undefined;
  return {
    error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
    node_errors: nodeErrors,
  };
}
