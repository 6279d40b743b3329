import type { ContractEvaluation } from '../evaluate-contracts.js';
import { escapeHtml } from './svg-scale.js';

const percent = (value: number) => `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
const rate = (value: number | null) => (value === null ? '–' : value.toFixed(3));

/**
 * The report's section on behavioural contracts: per contract, the share of runs that
 * (δ, k)-satisfy it against p (also among resolved and unresolved runs), hard and soft compliance
 * over steps, soft violations recovered within k, the drift rates α and γ with the bound α/γ
 * beside the mean drift measured, then per rule its steps and runs violated, and example
 * violations with their run, step and action.
 * @param contracts - from `evaluateContracts`.
 * @returns an HTML `<section>`, or `''` without contracts.
 * @example
 * ```ts
 * const html = toContractsSection(evaluateContracts(trajectories, contracts));
 * ```
 */
export function toContractsSection(contracts: readonly ContractEvaluation[]): string {
  if (contracts.length === 0) return '';
  const rows = contracts
    .map((contract) => {
      const { p, delta, k } = contract.satisfaction;
      const tone = contract.satisfied ? 'good' : 'bad';
      return `<tr><td><b>${escapeHtml(contract.contract)}</b><br><span class="muted">p ${p}, δ ${delta}, k ${k}</span></td><td class="number ${tone}">${percent(contract.satisfiedFraction)}<br><span class="muted">${contract.runsSatisfied}/${contract.runs}</span></td><td class="number">${percent(contract.byOutcome.resolved.satisfiedFraction)}</td><td class="number">${percent(contract.byOutcome.unresolved.satisfiedFraction)}</td><td class="number">${percent(contract.hardCompliance)}</td><td class="number">${percent(contract.softCompliance)}</td><td class="number">${contract.recoveredWithinK}/${contract.episodes}</td><td class="number">${rate(contract.drift.alpha)}</td><td class="number">${rate(contract.drift.gamma)}</td><td class="number">${rate(contract.drift.bound)}</td><td class="number">${contract.drift.mean.toFixed(3)}</td></tr>`;
    })
    .join('');
  const ruleRows = contracts
    .flatMap((contract) =>
      Object.entries(contract.ruleInfo).map(([rule, info]) => {
        const counts = contract.rules[rule] ?? { steps: 0, runs: 0 };
        return `<tr><td>${escapeHtml(contract.contract)}</td><td>${escapeHtml(rule)}</td><td>${escapeHtml(info.kind)}</td><td>${escapeHtml(info.description)}</td><td class="number">${counts.steps}</td><td class="number">${counts.runs}</td></tr>`;
      }),
    )
    .join('');
  const seen = new Set<string>();
  const exampleRows = contracts
    .flatMap((contract) => contract.examples)
    .filter((example) => {
      const key = `${example.rule} ${example.run} ${example.turn}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(
      (example) =>
        `<tr><td>${escapeHtml(example.rule)}</td><td><code>${escapeHtml(example.run)}</code></td><td class="number">${example.turn}</td><td><code>${escapeHtml(example.action.slice(0, 160))}</code></td></tr>`,
    )
    .join('');
  return `<section class="contracts">
<h2>Behavioural contracts</h2>
<p class="muted">Each recorded run checked against each contract as recorded (nothing enforced). A run satisfies a contract when no hard rule broke, its soft compliance is at least 1 − δ and every soft violation was recovered within k steps; the agent satisfies it when a share p of its runs do. Drift D(t) is the share of a contract's rules broken at step t; α and γ are the least-squares fit of D(t+1) − D(t) = α − γ·D(t), and α/γ the level drift settles at.</p>
<figure class="table"><figcaption>Compliance per contract</figcaption>
<table><thead><tr><th>contract</th><th>runs satisfying</th><th>resolved runs</th><th>unresolved runs</th><th>hard compliance</th><th>soft compliance</th><th>recovered within k</th><th>α</th><th>γ</th><th>α/γ</th><th>mean D</th></tr></thead><tbody>${rows}</tbody></table>
</figure>
<figure class="table"><figcaption>Rules</figcaption>
<table><thead><tr><th>contract</th><th>rule</th><th>kind</th><th>requires</th><th>steps broken</th><th>runs</th></tr></thead><tbody>${ruleRows}</tbody></table>
</figure>
<figure class="table"><figcaption>Example violations</figcaption>
<table><thead><tr><th>rule</th><th>run</th><th>step</th><th>action</th></tr></thead><tbody>${exampleRows === '' ? '<tr><td colspan="4" class="muted">No rule was broken on these runs.</td></tr>' : exampleRows}</tbody></table>
</figure>
</section>`;
}
