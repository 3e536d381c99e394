import { useState } from "react";
import { notificationsSupported } from "../lib/notify.ts";

/** Asks for notification permission on a click (browsers ignore prompts nobody asked for). */
export const NotificationToggle = () => {
  const [permission, setPermission] = useState(() =>
    notificationsSupported() ? Notification.permission : "denied",
  );
  if (!notificationsSupported() || permission !== "default") return null;
  return (
    <button
      type="button"
      className="ghost"
      title="Get a browser notification when a worker asks a question"
      onClick={async () => setPermission(await Notification.requestPermission())}
    >
      Enable notifications
    </button>
  );
};
