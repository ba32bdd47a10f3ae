"""Does this PySide6 take references from None/True/False without giving them back?

Run as a script (a separate process, so that a release with the defect cannot abort the caller):
it emits a signal, calls a void method and runs a Python slot a few thousand times each and prints
how much the reference counts of None, True and False drifted, as JSON. A sound binding leaves them
where they were (Python 3.12+ makes them immortal anyway: the drift is 0 there by construction).
"""

import json
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QObject, Signal

ROUNDS = 4000


class Pinger(QObject):
    ping = Signal(object)
    flag = Signal(bool)


def slot(_value):
    return None


def main() -> None:
    app = QCoreApplication.instance() or QCoreApplication([])
    pinger = Pinger()
    pinger.ping.connect(slot)
    pinger.flag.connect(slot)
    before = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(ROUNDS):
        pinger.ping.emit(None)
        pinger.flag.emit(False)
        pinger.setObjectName("p")
        app.processEvents()
    after = [sys.getrefcount(x) for x in (None, True, False)]
    drift = {name: a - b for name, a, b in zip(("None", "True", "False"), after, before)}
    print(json.dumps({"pyside": pyside_version, "python": sys.version.split()[0], "rounds": ROUNDS,
                      "drift": drift}))


if __name__ == "__main__":
    main()
