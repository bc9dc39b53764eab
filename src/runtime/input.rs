//! The input task: crossterm's event stream, key presses only, turned into `Msg`s.

use crossterm::event::{Event, EventStream, KeyEvent, KeyEventKind, KeyModifiers};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::app::{Key, KeyCode, Msg};

/// Read terminal events until the channel closes.
pub(crate) fn spawn_input(tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        loop {
            // A console deaf to keys is worse than none: when the terminal's input fails or
            // ends, say so (the runtime restores the terminal and exits with the cause).
            let ev = match events.next().await {
                Some(Ok(ev)) => ev,
                Some(Err(e)) => {
                    let _ = tx.send(Msg::InputLost(format!("reading the terminal failed: {e}")));
                    break;
                }
                None => {
                    let _ = tx.send(Msg::InputLost("the terminal's input ended".into()));
                    break;
                }
            };
            let msg = match ev {
                Event::Key(k) if k.kind == KeyEventKind::Press => match convert(k) {
                    Some(key) => Msg::Key(key),
                    None => continue,
                },
                Event::Resize(w, h) => Msg::Resize(w, h),
                Event::Mouse(m) => match mouse(m) {
                    Some(m) => Msg::Mouse(m),
                    None => continue,
                },
                _ => continue,
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
}

/// A crossterm mouse event the console uses (wheel, left click).
pub fn mouse(m: crossterm::event::MouseEvent) -> Option<crate::app::input::mouse::Mouse> {
    use crate::app::input::mouse::Mouse;
    use crossterm::event::{MouseButton, MouseEventKind as K};
    match m.kind {
        K::ScrollUp => Some(Mouse::ScrollUp),
        K::ScrollDown => Some(Mouse::ScrollDown),
        K::Down(MouseButton::Left) => Some(Mouse::Click(m.column, m.row)),
        _ => None,
    }
}

/// A crossterm key as the console's `Key` (shift is folded into the character's case).
pub fn convert(k: KeyEvent) -> Option<Key> {
    use crossterm::event::KeyCode as C;
    let code = match k.code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Backspace => KeyCode::Backspace,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::F(n) => KeyCode::F(n),
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
        alt: k.modifiers.contains(KeyModifiers::ALT),
    })
}
