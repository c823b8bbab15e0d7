// flipt.evaluation.EvaluationService from the contracts package (the loader the server uses).
import { evaluationContract } from '@switchyard/contracts';

/** The EvaluationService client constructor. */
export function evaluationService() {
  return evaluationContract().EvaluationService;
}
