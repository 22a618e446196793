import { useParleyContext } from './parley-context';

/** Stops the reply being written (the turn ends `cancelled`); shown only while one is. */
export function StopButton() {
  const { actions, strings } = useParleyContext();
  return (
    <button type="button" className="parley-button parley-stop" onClick={actions.cancel}>
      {strings.stop}
    </button>
  );
}
