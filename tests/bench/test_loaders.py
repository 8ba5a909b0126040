"""The benchmarks' loaders: one staff loader for all of them."""

from bench.loaders import staff
from bench.management.commands import bench_pages, bench_scan, bench_send


def test_every_benchmark_loads_its_staff_with_the_one_staff_loader():
    assert bench_pages.create_staff is bench_scan.create_staff is bench_send.create_staff is staff.create_staff
