// SMG's registration and removal workflows report failures as
// `Workflow failed at step <step>: Step failed: <step> - <message>`; the steps, in order, are
// validate_descriptor, calculate_hash, check_duplicate, load_wasm_bytes, validate_wasm_component,
// register_module (add) and find_module_to_remove, remove_module (delete).
export type WorkflowStep =
  | 'validate_descriptor'
  | 'calculate_hash'
  | 'check_duplicate'
  | 'load_wasm_bytes'
  | 'validate_wasm_component'
  | 'register_module'
  | 'find_module_to_remove'
  | 'remove_module';

export function workflowMessage(step: WorkflowStep, message: string): string {
  return `Workflow failed at step ${step}: Step failed: ${step} - ${message}`;
}

/** A step failure on its way to an `add_result` Error. */
export class StepFailure extends Error {
  readonly step: WorkflowStep;

  constructor(step: WorkflowStep, message: string) {
    super(message);
    this.name = 'StepFailure';
    this.step = step;
  }

  get workflowMessage(): string {
    return workflowMessage(this.step, this.message);
  }
}
