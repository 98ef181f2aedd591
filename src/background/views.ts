// Where the view goes: the open views (popup, options page, page controls on agent desktops) over
// their ports, and the toolbar button. Both are small wrappers a test can replace with a fake.
import { controlViewOf, type ControlView, type MicView } from '../shared/view';
import type { ViewPush } from '../shared/messages';
import { iconPaths } from './icons';
import { toolbarLook, type ToolbarLook } from './present';
import type { ToolbarButton } from '../platform/types';

/** Extension pages see the whole view; the page control on the agent desktop only what it shows. */
export type ViewerKind = 'extension' | 'page';

/** The part of a runtime port the hub uses. */
export interface ViewerPort {
  postMessage(message: ViewPush): void;
  onDisconnect: { addListener(listener: () => void): void };
}

export function viewFor(kind: ViewerKind, view: MicView): MicView | ControlView {
  return kind === 'extension' ? view : controlViewOf(view);
}

export class ViewHub {
  private readonly ports = new Map<ViewerPort, ViewerKind>();
  private readonly lastSent = new Map<ViewerKind, string>();

  add(port: ViewerPort, kind: ViewerKind, view: MicView): void {
    try {
      port.onDisconnect.addListener(() => this.ports.delete(port));
    } catch {
      // The view closed before the background was ready to greet it (a stopped background woken
      // by a popup opened and closed at once): its port is dead, and touching it throws.
      return;
    }
    this.ports.set(port, kind);
    this.post(port, viewFor(kind, view));
  }

  /** Sends the view to every open view that would see a change. */
  publish(view: MicView): void {
    const byKind = new Map<ViewerKind, MicView | ControlView>();
    for (const kind of ['extension', 'page'] as const) {
      const shown = viewFor(kind, view);
      const json = JSON.stringify(shown);
      if (json === this.lastSent.get(kind)) continue;
      this.lastSent.set(kind, json);
      byKind.set(kind, shown);
    }
    for (const [port, kind] of this.ports) {
      const shown = byKind.get(kind);
      if (shown) this.post(port, shown);
    }
  }

  private post(port: ViewerPort, view: MicView | ControlView): void {
    try {
      port.postMessage({ type: 'view', view });
    } catch {
      this.ports.delete(port);
    }
  }
}

/** The toolbar button's calls (the platform seam's). */
export type { ToolbarButton };

/** Badge, title and icon wait this long: not urgent, and a PATCH may be leaving in this very task. */
export const TOOLBAR_DELAY_MS = 20;

export class Toolbar {
  private last: ToolbarLook | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest: MicView | undefined;

  constructor(private readonly button: ToolbarButton) {}

  /** Shows `view` shortly, once for any number of changes meanwhile. */
  show(view: MicView): void {
    this.latest = view;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.latest) void this.apply(toolbarLook(this.latest));
    }, TOOLBAR_DELAY_MS);
  }

  private async apply(look: ToolbarLook): Promise<void> {
    const last = this.last;
    this.last = look;
    try {
      if (last?.badgeText !== look.badgeText) await this.button.setBadgeText({ text: look.badgeText });
      if (last?.badgeColor !== look.badgeColor) await this.button.setBadgeBackgroundColor({ color: look.badgeColor });
      if (last?.title !== look.title) await this.button.setTitle({ title: look.title });
      if (last?.icon !== look.icon) await this.button.setIcon({ path: iconPaths(look.icon) });
    } catch {
      // The next change tries again from scratch.
      this.last = undefined;
    }
  }
}
