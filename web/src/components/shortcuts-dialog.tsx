import { SHORTCUTS } from "../app/shortcuts.ts";
import { useUi } from "../app/ui.ts";
import { Modal } from "./modal.tsx";

export const ShortcutsDialog = () => {
  const open = useUi((s) => s.helpOpen);
  return (
    <Modal open={open} title="Keyboard shortcuts" onClose={() => useUi.getState().setHelpOpen(false)}>
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
};
