import sys

if __name__ == "__main__":  # not when a worker process re-imports the main module (multiprocessing spawn)
    # The packaged app has no "python -m": an import's sheet-reading process is this same program
    # started with this flag (core/excel/reader.py, rows_in_background), answered before anything.
    if len(sys.argv) == 3 and sys.argv[1] == "--read-worker":
        from trustfund_app.core.excel.read_worker import main as read_worker

        raise SystemExit(read_worker(sys.argv[2]))

    from trustfund_app.cli import main

    raise SystemExit(main())
