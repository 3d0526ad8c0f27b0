"""Closes the X window titled by argv[2] on display argv[1] the way a window manager does when
someone clicks its close button: a WM_DELETE_WINDOW message, which the app may handle (save
state, ask) before it exits. Prints how many windows were asked."""
import sys

from Xlib import X, display, protocol

screen = display.Display(sys.argv[1])
delete = screen.intern_atom("WM_DELETE_WINDOW")
protocols = screen.intern_atom("WM_PROTOCOLS")


def windows(window):
    yield window
    for child in window.query_tree().children:
        yield from windows(child)


asked = 0
for window in windows(screen.screen().root):
    if window.get_wm_name() == sys.argv[2] and delete in (window.get_wm_protocols() or []):
        event = protocol.event.ClientMessage(
            window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
        )
        window.send_event(event, event_mask=X.NoEventMask)
        asked += 1
screen.flush()
print(asked)
