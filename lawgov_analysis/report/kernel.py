"""The notebook kernel: this interpreter (``sys.executable -m ipykernel_launcher``), whatever kernelspecs are
installed, with ``PYTHONHASHSEED=0`` and the package on ``PYTHONPATH``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["KERNEL_ENV", "kernel_manager_class"]

#: Environment given to the notebook kernel on top of the build's own environment.
KERNEL_ENV = {"PYTHONHASHSEED": "0"}



def kernel_manager_class():
    """An ``AsyncKernelManager`` whose kernel is ``sys.executable -m ipykernel_launcher`` with ``KERNEL_ENV``.

    Installed kernelspecs are ignored: a ``python3`` spec may name ``python`` (resolved on ``PATH``, which
    differs from this interpreter when the virtualenv is not activated) or another environment altogether.
    ``PYTHONPATH`` starts with the folder holding this package, so the kernel imports the same code.
    """
    import zmq
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec
    from traitlets import default

    # like ipykernel's own spec: lets jupyter_client provision CurveZMQ keys (encrypted local transport)
    meta = {"supported_encryption": ["curve"]} if zmq.has("curve") else {}
    # the kernel imports the same lawgov_analysis as this process, installed or not
    source_root = str(Path(__file__).resolve().parents[2])
    paths = [source_root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != source_root]
    env = {**KERNEL_ENV, "PYTHONPATH": os.pathsep.join(paths)}

    class CurrentInterpreterKernelManager(AsyncKernelManager):
        @default("transport_encryption")
        def _default_transport_encryption(self):
            return "auto" if meta else "disabled"

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts (SIGINT) before every shutdown request; an idle kernel then logs
            # "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel" into the build's output. A shutdown
            # request follows anyway, so the interrupt is skipped while shutting down.
            if getattr(self, "shutting_down", False):
                return
            await super()._async_interrupt_kernel()

        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name="Python 3 (ipykernel)", language="python", env=dict(env),
                    interrupt_mode="signal", metadata=dict(meta))
            return self._kernel_spec

    return CurrentInterpreterKernelManager


