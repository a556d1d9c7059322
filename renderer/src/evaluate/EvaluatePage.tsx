/**
 * The label-efficiency study lands here once its API (eval/*) exists. Until
 * then the page says what it will do, so nobody mistakes it for a broken page.
 */
export function EvaluatePage() {
  return (
    <section className="page evaluate-page">
      <h1>Evaluate</h1>
      <div className="panel">
        <h2>Label-efficiency study</h2>
        <p>How much labelled data does a pretrained encoder save on a new task? The study will:</p>
        <ol>
          <li>take an exported encoder from a pretraining run and a downstream task (a dataset you imported and did not pretrain on);</li>
          <li>train on 1 %, 5 %, 10 %, 25 %, 50 % and 100 % of that task&apos;s training images, with several seeds each;</li>
          <li>do so with the encoder frozen (a linear head on the image vector) and fine-tuned, and against the same network from random initialisation;</li>
          <li>plot the validation metric against the fraction of labels used, with a table of mean ± spread per fraction.</li>
        </ol>
        <p className="muted">
          This page is waiting for the engine&apos;s evaluation API. Meanwhile, <a href="#/pretraining">pretrain an encoder</a> and inspect it on the <a href="#/results">Results</a> page.
        </p>
      </div>
    </section>
  );
}
